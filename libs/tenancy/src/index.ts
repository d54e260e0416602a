/**
 * @lib/tenancy: tenants (shops), their encrypted PowerOffice client keys, account mappings,
 * settlement schedule, invoice mode and cached PowerOffice reference data.
 */
export * from './account-mapping';
export * from './domain/tenant';
export * from './domain/reference-data';
export * from './domain/privileges';
export * from './domain/validate-mapping';
export * from './errors';
export {
  KeyCipher,
  KeyConfigError,
  ClientKeyDecryptionError,
  DEV_ONLY_TENANT_KEY_ENCRYPTION_KEY,
  CURRENT_KEY_VARIABLE,
  OLD_KEYS_VARIABLE,
  clientKeyFingerprint,
  keyIdOf,
  keyIdOfCiphertext,
  parseEncryptionKey,
} from './crypto/key-cipher';
export type { KeyCipherEnvOptions, KeyCipherLogger } from './crypto/key-cipher';
export { reencryptAll } from './crypto/reencrypt-all';
export type { ReencryptionReport } from './crypto/reencrypt-all';
export type {
  TenancyLane,
  TenancyPowerOfficeClient,
  TenancyPowerOfficeFactory,
  ForTenantArgs,
} from './power-office/port';
export { TenantService } from './tenant.service';
export type { OnboardTenantInput, TenantServiceOptions, TenancyLogger, AuditAction } from './tenant.service';
export type { AccountMappingRecord, AuditEntry } from './tenant.repository';
export { TenancyModule } from './nest/tenancy.module';
export type { TenancyModuleOptions } from './nest/tenancy.module';

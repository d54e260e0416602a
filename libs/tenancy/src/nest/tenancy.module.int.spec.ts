import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import { KeyCipher } from '../crypto/key-cipher';
import { TenantService } from '../tenant.service';
import { TenancyModule } from './tenancy.module';

/** The Nest binding resolves against a TypeORM DataSource the way apps provide it (PlatformModule). */
describe('TenancyModule', () => {
  it('provides TenantService and a KeyCipher from TENANT_KEY_ENCRYPTION_KEY', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        TypeOrmModule.forRoot({ type: 'postgres', url: process.env.DATABASE_URL, extra: { max: 2 } }),
        TenancyModule.forRoot(),
      ],
    }).compile();
    try {
      const tenants = moduleRef.get(TenantService);
      const cipher = moduleRef.get(KeyCipher);

      expect(Array.isArray(await tenants.list())).toBe(true);
      expect(cipher.decrypt(cipher.encrypt('k', 't'), 't')).toBe('k');
      // No PowerOfficeModule in this app: reading works, talking to PowerOffice says what is missing.
      await expect(
        tenants.onboard({
          id: 'nest-wiring',
          name: 'x',
          organizationNumber: '999888777',
          clientKey: 'k',
          actor: 'test',
        }),
      ).rejects.toThrow(/without a PowerOffice client factory/);
    } finally {
      await moduleRef.close();
    }
  });
});

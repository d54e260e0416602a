/**
 * The part of `@lib/poweroffice` tenancy depends on, described structurally: `PowerOfficeClientFactory`
 * satisfies it as is, tests pass a small fake, and tenancy does not need the HTTP client to compile
 * or to be unit-tested. `TenantService.clientFor` hands back whatever client type the factory makes,
 * so callers still get the full typed `PowerOfficeClient`.
 */

import type { Lane } from '@lib/poweroffice';

/** Priority lane of the shared API budget. */
export type TenancyLane = Lane;

/** The resources tenancy reads; their DTOs are normalised by reference-data-reader.ts. */
export interface TenancyPowerOfficeClient {
  clientIntegrationInformation: { get(): Promise<unknown> };
  generalLedgerAccounts: { listAll(): Promise<readonly unknown[]> };
  vatCodes: { listAll(): Promise<readonly unknown[]> };
  subLedgerNumberSeries: { listAll(): Promise<readonly unknown[]> };
  departments: { listAll(): Promise<readonly unknown[]> };
  lockDate: { get(): Promise<unknown> };
}

export interface ForTenantArgs {
  tenantId: string;
  clientKey: string;
  lane: TenancyLane;
}

export interface TenancyPowerOfficeFactory<C extends TenancyPowerOfficeClient = TenancyPowerOfficeClient> {
  forTenant(args: ForTenantArgs): C | Promise<C>;
}

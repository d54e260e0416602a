import type { Lane } from '@lib/poweroffice';
import type { Tenant } from '@lib/tenancy';

/**
 * What the pipeline needs from tenancy, described structurally: `TenantService` from @lib/tenancy
 * satisfies it as is, and tests pass a small in-memory directory.
 */
export interface TenantDirectory<TClient = unknown> {
  get(tenantId: string): Promise<Tenant | null>;
  markNotAuthorised(tenantId: string, reason: string): Promise<unknown>;
  clientFor(tenantId: string, lane: Lane): Promise<TClient>;
}

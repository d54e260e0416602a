import { randomBytes } from 'node:crypto';
// The emulator is the one stand-in the contract tests use (see shared/docs/style.md).
import { RunningEmulator, startEmulator, StartEmulatorOptions } from '../../../apps/poweroffice-emulator/src/bootstrap';
import { ApiBudget } from '../src/budget/api-budget';
import { InMemoryApiBudget } from '../src/budget/in-memory-api-budget';
import { PowerOfficeClient, PowerOfficeClientFactory } from '../src/client';
import { PowerOfficeConfig } from '../src/config';
import { Lane } from '../src/lanes';
import { InMemoryCallRecorder } from '../src/recording/in-memory-call-recorder';

export interface EmulatorFixture {
  emulator: RunningEmulator;
  recorder: InMemoryCallRecorder;
  factory: PowerOfficeClientFactory;
  config: PowerOfficeConfig;
  /** A new PowerOffice client company (NS 4102 preset) and our client for it. */
  tenant(options?: {
    lane?: Lane;
    privileges?: string[];
    lockDate?: string | null;
    allowSendInvoice?: boolean;
  }): Promise<{
    api: PowerOfficeClient;
    clientKey: string;
    tenantId: string;
  }>;
  close(): Promise<void>;
}

/**
 * Starts the emulator on a free port with a client factory on it. By default neither side limits
 * the rate, so contract tests run fast; budget tests pass their own budget and rate.
 */
export async function startEmulatorFixture(
  options: { emulator?: StartEmulatorOptions; budget?: ApiBudget; timeoutMs?: number } = {},
): Promise<EmulatorFixture> {
  const emulator = await startEmulator({ port: 0, rateLimit: 0, ...options.emulator });
  const recorder = new InMemoryCallRecorder();
  const config: PowerOfficeConfig = {
    baseUrl: emulator.baseUrl,
    applicationKey: emulator.applicationKey,
    subscriptionKey: emulator.subscriptionKey,
    rateLimit: 0,
    timeoutMs: options.timeoutMs ?? 10_000,
  };
  const factory = new PowerOfficeClientFactory(
    config,
    options.budget ?? new InMemoryApiBudget({ rateLimit: 0 }),
    recorder,
  );
  return {
    emulator,
    recorder,
    factory,
    config,
    async tenant(t = {}) {
      const created = await emulator.admin.createClient({
        preset: 'ns4102',
        ...(t.privileges ? { privileges: t.privileges } : {}),
        ...(t.lockDate !== undefined ? { lockDate: t.lockDate } : {}),
        ...(t.allowSendInvoice !== undefined ? { allowSendInvoice: t.allowSendInvoice } : {}),
      });
      const tenantId = `tenant-${randomBytes(4).toString('hex')}`;
      return {
        api: factory.forTenant({ tenantId, clientKey: created.clientKey, lane: t.lane ?? 'customer' }),
        clientKey: created.clientKey,
        tenantId,
      };
    },
    close: () => emulator.close(),
  };
}

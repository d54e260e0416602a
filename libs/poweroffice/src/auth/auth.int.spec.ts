import { EmulatorFixture, startEmulatorFixture } from '../../test-support/emulator';
import { InMemoryApiBudget } from '../budget/in-memory-api-budget';
import { PowerOfficeClientFactory } from '../client';
import { PowerOfficeNotAuthorisedError } from '../errors/power-office-errors';
import { InMemoryCallRecorder } from '../recording/in-memory-call-recorder';

describe('tokens against the emulator', () => {
  let fx: EmulatorFixture;
  beforeAll(async () => {
    fx = await startEmulatorFixture({ emulator: { tokenTtlSeconds: 2 } });
  });
  afterAll(async () => {
    await fx.close();
  });

  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const tokenCalls = (tenantId: string) =>
    fx.recorder.calls.filter((c) => c.tenantId === tenantId && c.pathTemplate === '/OAuth/Token');
  const apiCalls = (tenantId: string) =>
    fx.recorder.calls.filter((c) => c.tenantId === tenantId && c.pathTemplate !== '/OAuth/Token');

  it('caches the token, renews it before expires_in runs out, and never sees a 401 for it', async () => {
    const { api, tenantId } = await fx.tenant();
    await api.lockDate.get();
    await api.lockDate.get();
    expect(tokenCalls(tenantId)).toHaveLength(1);
    await sleep(1_800); // past 80 % of 2 s, before expiry
    await api.lockDate.get();
    expect(tokenCalls(tenantId)).toHaveLength(2);
    await sleep(2_300); // past expiry of that one
    await api.lockDate.get();
    expect(tokenCalls(tenantId)).toHaveLength(3);
    expect(apiCalls(tenantId).map((c) => c.status)).toEqual([200, 200, 200, 200]);
  });

  it('one token request for many concurrent first calls', async () => {
    const { api, tenantId } = await fx.tenant();
    await Promise.all(Array.from({ length: 10 }, () => api.vatCodes.listAll()));
    expect(tokenCalls(tenantId)).toHaveLength(1);
  });

  it('a 401 (token revoked in Go) renews once and repeats the call once', async () => {
    const { api, tenantId, clientKey } = await fx.tenant();
    await api.lockDate.get();
    await fx.emulator.admin.patchClient(clientKey, { revokeTokens: true });
    expect(await api.lockDate.get()).toHaveProperty('lockDate');
    const last = fx.recorder.calls.filter((c) => c.tenantId === tenantId).slice(-3);
    expect(last.map((c) => `${c.pathTemplate} ${c.status} #${c.attempt}`)).toEqual([
      '/LockDateSettings 401 #1',
      '/OAuth/Token 200 #1',
      '/LockDateSettings 200 #2',
    ]);
  });

  it('the extension removed in Go: 401, renewal refused → TENANT_NOT_AUTHORISED', async () => {
    const { api, clientKey } = await fx.tenant();
    await api.lockDate.get();
    await fx.emulator.admin.patchClient(clientKey, { revoked: true });
    const err = await api.lockDate.get().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PowerOfficeNotAuthorisedError);
    expect((err as PowerOfficeNotAuthorisedError).powerOffice).toMatchObject({ status: 400, title: 'invalid_client' });
  });

  it('invalidateToken forgets a key’s token', async () => {
    const { api, tenantId, clientKey } = await fx.tenant();
    await api.lockDate.get();
    fx.factory.invalidateToken(clientKey);
    await api.lockDate.get();
    expect(tokenCalls(tenantId)).toHaveLength(2);
  });

  it('works under a /Demo base URL: API at /Demo/v2, token at /Demo/OAuth/Token', async () => {
    const { clientKey } = await fx.tenant();
    const demo = new PowerOfficeClientFactory(
      { ...fx.config, baseUrl: `${fx.emulator.baseUrl}/Demo` },
      new InMemoryApiBudget({ rateLimit: 0 }),
      new InMemoryCallRecorder(),
    );
    const info = await demo
      .forTenant({ tenantId: 'demo', clientKey, lane: 'invoice' })
      .clientIntegrationInformation.get();
    expect(info.clientId).toBeTruthy();
    const paths = (await fx.emulator.admin.requests({ clientKey })).map((r) => r.path);
    expect(paths).toEqual(expect.arrayContaining(['/Demo/OAuth/Token', '/Demo/v2/ClientIntegrationInformation']));
  });
});

import { EMULATOR_DEFAULTS, RunningEmulator, startEmulator } from '../src/bootstrap';
import { basic, connect, GoApi, sleep } from './support/go-api';

let emu: RunningEmulator;

beforeAll(async () => {
  emu = await startEmulator({ port: 0, rateLimit: 0 });
});
afterAll(() => emu.close());

describe('POST /OAuth/Token (client credentials)', () => {
  it('issues an opaque bearer token for Basic applicationKey:clientKey with the subscription key', async () => {
    const { clientKey } = await emu.admin.createClient({ name: 'Kaffebaren AS' });
    const api = new GoApi(emu, clientKey);
    const reply = await api.requestToken();
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ access_token: expect.any(String), token_type: 'bearer', expires_in: 1200 });
    expect(reply.body.access_token.length).toBeGreaterThanOrEqual(32);
    expect(reply.headers.get('cache-control')).toBe('no-store');
  });

  it('uses the fixed development keys by default', () => {
    expect(emu.applicationKey).toBe(EMULATOR_DEFAULTS.applicationKey);
    expect(emu.subscriptionKey).toBe('e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0');
  });

  it('answers an unknown client key or application key with 400 invalid_client', async () => {
    const api = new GoApi(emu, '11111111-1111-4111-8111-111111111111');
    const expected = {
      error: 'invalid_client',
      error_description:
        'Client integration not found. Please ensure the provided keys are matching the desired environment.',
    };
    const unknown = await api.requestToken();
    expect(unknown.status).toBe(400);
    expect(unknown.body).toEqual(expected);
    const { clientKey } = await emu.admin.createClient();
    const wrongApp = await api.requestToken(clientKey, '22222222-2222-4222-8222-222222222222');
    expect(wrongApp.status).toBe(400);
    expect(wrongApp.body).toEqual(expected);
  });

  it('checks grant_type and the form content type', async () => {
    const { clientKey } = await emu.admin.createClient();
    const api = new GoApi(emu, clientKey);
    expect((await api.requestToken(clientKey, undefined, { rawBody: 'grant_type=password' })).body.error).toBe(
      'unsupported_grant_type',
    );
    expect((await api.requestToken(clientKey, undefined, { rawBody: '' })).body.error).toBe('invalid_request');
    expect((await api.requestToken(clientKey, undefined, { contentType: 'application/json' })).body.error).toBe(
      'invalid_request',
    );
  });

  it('needs the subscription key on the token call too (APIM 401, {statusCode, message})', async () => {
    const { clientKey } = await emu.admin.createClient();
    const api = new GoApi(emu, clientKey);
    const missing = await api.requestToken(clientKey, undefined, { subscriptionKey: null });
    expect(missing.status).toBe(401);
    expect(missing.body).toEqual({ statusCode: 401, message: expect.stringContaining('missing subscription key') });
    const wrong = await api.requestToken(clientKey, undefined, { subscriptionKey: 'ffffffffffffffffffffffffffffffff' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.message).toContain('invalid subscription key');
  });

  it('also takes the subscription key as the subscription-key query parameter', async () => {
    const { clientKey } = await emu.admin.createClient();
    const res = await fetch(`${emu.baseUrl}/OAuth/Token?subscription-key=${emu.subscriptionKey}`, {
      method: 'POST',
      headers: {
        Authorization: basic(emu.applicationKey, clientKey),
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });
    expect(res.status).toBe(200);
  });

  it('matches paths case-insensitively, with and without the /Demo prefix', async () => {
    const { clientKey } = await emu.admin.createClient();
    for (const path of ['/oauth/token', '/Demo/OAuth/Token', '/demo/oauth/token']) {
      const res = await fetch(`${emu.baseUrl}${path}`, {
        method: 'POST',
        headers: {
          Authorization: basic(emu.applicationKey, clientKey),
          'Ocp-Apim-Subscription-Key': emu.subscriptionKey,
          'Content-Type': 'application/x-www-form-urlencoded',
        },
        body: 'grant_type=client_credentials',
      });
      expect(res.status).toBe(200);
    }
  });
});

describe('bearer tokens on /v2', () => {
  it('401 with an empty body for a missing or unknown token', async () => {
    const api = await connect(emu);
    const none = await api.get('/Customers', { token: null });
    expect(none.status).toBe(401);
    expect(none.text).toBe('');
    expect((await api.get('/Customers', { token: 'not-a-token' })).status).toBe(401);
  });

  it('401 for an expired token', async () => {
    const shortLived = await startEmulator({ port: 0, rateLimit: 0, tokenTtlSeconds: 1 });
    try {
      const api = await connect(shortLived);
      expect((await api.get('/Customers')).status).toBe(204);
      await sleep(1100);
      const expired = await api.get('/Customers');
      expect(expired.status).toBe(401);
      expect(expired.headers.get('www-authenticate')).toContain('invalid_token');
    } finally {
      await shortLived.close();
    }
  });

  it('a demo token does not work on production paths (separate installations)', async () => {
    const demo = await connect(emu, {}, 'demo');
    expect((await demo.get('/Customers')).status).toBe(204);
    const prod = new GoApi(emu, demo.clientKey, 'production');
    expect((await prod.get('/Customers', { token: demo.token })).status).toBe(401);
  });

  it('matches API paths case-insensitively', async () => {
    const api = await connect(emu, {}, 'demo');
    const res = await fetch(`${emu.baseUrl}/DEMO/V2/generalledgeraccounts?ACCOUNTNOS=1920`, {
      headers: { Authorization: `Bearer ${api.token}`, 'Ocp-Apim-Subscription-Key': emu.subscriptionKey },
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as Array<{ AccountNo: number }>)[0]!.AccountNo).toBe(1920);
  });

  it('unknown routes get APIM\'s 404 "Resource not found"', async () => {
    const api = await connect(emu);
    const r = await api.get('/NoSuchThing');
    expect(r.status).toBe(404);
    expect(r.body).toEqual({ statusCode: 404, message: 'Resource not found' });
  });

  it('401 APIM body on /v2 without the subscription key', async () => {
    const api = await connect(emu);
    const r = await api.get('/Customers', { subscriptionKey: null });
    expect(r.status).toBe(401);
    expect(r.body.statusCode).toBe(401);
  });
});

describe('auth roles and privileges', () => {
  it("403 with an empty body when the token lacks the operation's role; X reads, X_Full writes", async () => {
    const api = await connect(emu, { privileges: ['Customer'] });
    expect((await api.get('/Customers')).status).toBe(204);
    const write = await api.post('/Customers', { Name: 'Kunde AS' });
    expect(write.status).toBe(403);
    expect(write.text).toBe('');
    expect((await api.get('/Products')).status).toBe(403);
  });

  it('privilege changes reach only tokens issued afterwards', async () => {
    const api = await connect(emu);
    await emu.admin.patchClient(api.clientKey, { privileges: ['Customer'] });
    expect((await api.get('/Products')).status).toBe(204);
    await api.authenticate();
    expect((await api.get('/Products')).status).toBe(403);
  });

  it('GET /ClientIntegrationInformation describes the client and the privileges', async () => {
    const api = await connect(emu, {
      name: 'Bakeriet AS',
      privileges: ['Customer_Full', 'CashVoucher_Full'],
      allowSendInvoice: false,
    });
    const r = await api.get('/ClientIntegrationInformation');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      ClientId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      ClientName: 'Bakeriet AS',
      ActiveClientSubscriptions: expect.any(Array),
      ValidPrivileges: ['CashVoucher_Full', 'Customer_Full'],
      AllowSendInvoice: false,
    });
    expect(r.body.InvalidPrivileges).toContain('Product_Full');
  });

  it('a revoked integration gets no tokens and its tokens stop working', async () => {
    const api = await connect(emu);
    await emu.admin.patchClient(api.clientKey, { revoked: true });
    expect((await api.get('/Customers')).status).toBe(401);
    expect((await api.requestToken()).body.error).toBe('invalid_client');
  });
});

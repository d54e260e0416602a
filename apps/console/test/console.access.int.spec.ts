import { DEV_OPERATOR_TOKEN } from '../src/access/operator-tokens';
import { newShop, OPERATOR, RunningConsole, SECOND_OPERATOR, startConsole } from './console-harness';

/**
 * Access to the console: every endpoint but /health, /metrics and the page shell needs an operator
 * token; nothing the console answers or logs contains a client key or a token.
 */
// Three entries each: jest.each would take a missing third one for a `done` callback.
const PROTECTED: [string, string, unknown][] = [
  ['GET', '/status', undefined],
  ['GET', '/tenants', undefined],
  ['POST', '/tenants', { id: 'x', name: 'x', organizationNumber: '999888777', clientKey: 'k' }],
  ['GET', '/tenants/any-shop', undefined],
  ['GET', '/tenants/any-shop/status', undefined],
  ['GET', '/tenants/any-shop/audit', undefined],
  ['GET', '/tenants/any-shop/mapping', undefined],
  ['PUT', '/tenants/any-shop/mapping', { preset: 'ns4102' }],
  ['POST', '/tenants/any-shop/mapping/check', {}],
  ['PUT', '/tenants/any-shop/schedule', { mode: 'afterEndOfDay' }],
  ['PUT', '/tenants/any-shop/invoice-mode', { invoiceMode: 'voucher' }],
  ['POST', '/tenants/any-shop/disable', undefined],
  ['POST', '/tenants/any-shop/enable', undefined],
  ['POST', '/tenants/any-shop/verify', undefined],
  ['POST', '/tenants/any-shop/settlements/K1/1/resend', undefined],
  ['POST', '/tenants/any-shop/settlements/K1/1/repost', undefined],
  ['POST', '/tenants/any-shop/invoices/inv-1/resend', undefined],
  ['POST', '/tenants/any-shop/resync', { since: '2025-01-01T00:00:00Z' }],
  ['GET', '/tenants/any-shop/resync/some-job', undefined],
  ['GET', '/dead-letters?topic=invoicePosted', undefined],
  ['POST', '/dead-letters/redrive', { topic: 'invoicePosted' }],
];

describe('console: access', () => {
  let c: RunningConsole;
  const logged: string[] = [];
  let writeSpy: jest.SpyInstance;

  beforeAll(async () => {
    // Everything the console and its libraries log goes to stdout as JSON lines: keep them to search.
    const write = process.stdout.write.bind(process.stdout);
    writeSpy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array, ...rest: unknown[]) => {
      const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      if (text.startsWith('{')) {
        logged.push(text);
        return true;
      }
      return (write as (c: string | Uint8Array, ...r: unknown[]) => boolean)(chunk, ...rest);
    });
    c = await startConsole({ env: { LOG_LEVEL: 'debug' } });
  });
  afterAll(async () => {
    await c?.close();
    writeSpy?.mockRestore();
  });

  it.each(PROTECTED)('%s %s: 401 without a token, with a wrong one, or another scheme', async (method, path, body) => {
    const attempts = [
      await c.http.as(null).call(method, path, body),
      await c.http.as('wrong-token').call(method, path, body),
      await c.http.as(OPERATOR.token.toUpperCase()).call(method, path, body),
      await c.http.as(`${OPERATOR.token}x`).call(method, path, body),
      await c.http.as(DEV_OPERATOR_TOKEN.split(':')[1]).call(method, path, body),
      await c.http.as(null).call(method, path, body, { Authorization: `Basic ${Buffer.from(`kari:${OPERATOR.token}`).toString('base64')}` }),
    ];
    for (const res of attempts) {
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(res.body.message).toMatch(/operator token is required/);
      expect(res.text).not.toContain(OPERATOR.token);
    }
  });

  it('with a valid token the same routes answer (the actor is the token\'s name)', async () => {
    expect((await c.http.get('/status')).status).toBe(200);
    expect((await c.http.as(SECOND_OPERATOR.token).get('/tenants')).status).toBe(200);
    // Reaching the use case: an unknown tenant is now a 404, not a 401.
    expect((await c.http.get('/tenants/any-shop/status')).status).toBe(404);
  });

  it('/health, /metrics and the page shell need no token; the shell holds no data and no token', async () => {
    const open = c.http.as(null);
    const health = await open.get('/health');
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'ok' });
    const metrics = await open.get('/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.text).toMatch(/^# HELP/m);
    const page = await open.get('/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(page.text).toContain('<title>Open One ↔ PowerOffice Go — console</title>');
    expect(page.text).toContain('sessionStorage');
    expect(page.text).not.toContain(OPERATOR.token);
    expect(page.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
  });

  it('serves the OpenAPI document at /api/docs-json (and the UI at /api/docs), every operation behind bearer auth', async () => {
    const doc = await c.http.as(null).get('/api/docs-json');
    expect(doc.status).toBe(200);
    expect(doc.body.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    const paths = Object.keys(doc.body.paths);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/tenants',
        '/tenants/{id}/mapping',
        '/tenants/{id}/mapping/check',
        '/tenants/{id}/schedule',
        '/tenants/{id}/invoice-mode',
        '/tenants/{id}/status',
        '/status',
        '/tenants/{id}/settlements/{registerId}/{z}/resend',
        '/tenants/{id}/settlements/{registerId}/{z}/repost',
        '/tenants/{id}/invoices/{invoiceId}/resend',
        '/tenants/{id}/resync',
        '/dead-letters',
        '/dead-letters/redrive',
        '/tenants/{id}/disable',
        '/tenants/{id}/enable',
      ]),
    );
    for (const [path, ops] of Object.entries(doc.body.paths as Record<string, Record<string, { security?: unknown[] }>>)) {
      const expected = path === '/health' || path === '/metrics' ? undefined : [{ bearer: [] }];
      for (const [verb, op] of Object.entries(ops)) expect([path, verb, op.security]).toEqual([path, verb, expected]);
    }
    // The onboarding body documents the key as write-only.
    expect(doc.body.components.schemas.OnboardTenantDto.properties.clientKey.writeOnly).toBe(true);
    const ui = await c.http.as(null).get('/api/docs');
    expect(ui.status).toBe(200);
    expect(ui.text).toMatch(/swagger-ui/i);
  });

  it('no answer and no log line carries a client key or an operator token', async () => {
    const shop = await newShop(c.emulator);
    const http = c.http.as(OPERATOR.token);
    expect((await http.post('/tenants', shop.onboarding)).status).toBe(201);
    await http.put(`/tenants/${shop.tenantId}/mapping`, { preset: 'ns4102' });
    await http.post('/tenants', shop.onboarding); // taken: 400
    await http.post('/tenants', { ...shop.onboarding, id: `${shop.tenantId}-b`, clientKey: 'not-a-key-at-all' }); // refused by PowerOffice
    await http.post(`/tenants/${shop.tenantId}/verify`);
    for (const path of ['/status', '/tenants', `/tenants/${shop.tenantId}`, `/tenants/${shop.tenantId}/status`, `/tenants/${shop.tenantId}/audit`, `/tenants/${shop.tenantId}/mapping`]) {
      expect((await http.get(path)).status).toBe(200);
    }
    const answers = http.transcript.join('\n');
    expect(answers).toContain(shop.tenantId);
    expect(answers).not.toContain(shop.clientKey);
    expect(answers).not.toContain('not-a-key-at-all');
    expect(answers).not.toContain(OPERATOR.token);
    const logs = logged.join('');
    expect(logs).not.toContain(shop.clientKey);
    expect(logs).not.toContain('not-a-key-at-all');
    expect(logs).not.toContain(OPERATOR.token);
    expect(logs).not.toContain(SECOND_OPERATOR.token);
  });
});

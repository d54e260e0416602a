import { IntegrationError, TransientError } from '@lib/contracts';
import { FakeClock } from '../test-support/fake-clock';
import { InMemoryApiBudget } from './budget/in-memory-api-budget';
import { PowerOfficeClientFactory } from './client';
import {
  PowerOfficeNotAuthorisedError,
  PowerOfficeRejectedError,
  PowerOfficeUnavailableError,
} from './errors/power-office-errors';
import { InMemoryCallRecorder } from './recording/in-memory-call-recorder';

const APPLICATION_KEY = 'app-key-0001';
const SUBSCRIPTION_KEY = 'sub-key-0001';
const CLIENT_KEY = 'client-key-very-secret-0001';

interface Seen {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

type Reply = { status: number; body?: unknown; headers?: Record<string, string> } | Error;

/** A scripted PowerOffice: replies in order per "token" / "api", records what it was sent. */
function fakePowerOffice(script: { token?: Reply[]; api?: Reply[] }) {
  const seen: Seen[] = [];
  let tokenCount = 0;
  const fetchStub = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = String(input);
    const headers = Object.fromEntries(
      Object.entries((init?.headers ?? {}) as Record<string, string>).map(([k, v]) => [k.toLowerCase(), v]),
    );
    seen.push({ method: init?.method ?? 'GET', url, headers, body: init?.body as string | undefined });
    const isToken = url.endsWith('/OAuth/Token');
    const queue = isToken ? script.token : script.api;
    const reply: Reply =
      queue?.shift() ??
      (isToken
        ? { status: 200, body: { access_token: `tok-${++tokenCount}`, token_type: 'bearer', expires_in: 1200 } }
        : { status: 204 });
    if (reply instanceof Error) throw reply;
    const body =
      reply.body === undefined ? null : typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
    return new Response(body, { status: reply.status, headers: reply.headers });
  };
  return { seen, fetch: fetchStub as typeof fetch };
}

function client(script: { token?: Reply[]; api?: Reply[] }, baseUrl = 'https://goapi.poweroffice.net/Demo') {
  const po = fakePowerOffice(script);
  const clock = new FakeClock();
  const recorder = new InMemoryCallRecorder();
  const factory = new PowerOfficeClientFactory(
    { baseUrl, applicationKey: APPLICATION_KEY, subscriptionKey: SUBSCRIPTION_KEY, rateLimit: 0, timeoutMs: 1000 },
    new InMemoryApiBudget({ rateLimit: 0, clock }),
    recorder,
    { fetch: po.fetch, clock },
  );
  return {
    po,
    clock,
    recorder,
    factory,
    api: factory.forTenant({ tenantId: 'tenant-1', clientKey: CLIENT_KEY, lane: 'customer' }),
  };
}

function expectNoSecrets(text: string) {
  for (const secret of [
    CLIENT_KEY,
    APPLICATION_KEY,
    'tok-1',
    'tok-2',
    'Basic ',
    'Bearer ',
    Buffer.from(`${APPLICATION_KEY}:${CLIENT_KEY}`).toString('base64'),
  ]) {
    expect(text).not.toContain(secret);
  }
}

describe('PowerOfficeClient over a scripted PowerOffice (no network)', () => {
  it('gets a token exactly as the real API wants it, then calls /v2 with bearer and subscription key', async () => {
    const { po, api, recorder } = client({
      api: [{ status: 200, body: [{ Id: 1, Number: 10000, SubledgerAccountId: 99, Name: 'A', BillableRate: 950.5 }] }],
    });
    const [customer] = await api.customers.listPage(
      { customerNos: [10000, '20000-'], lastChangedAfter: new Date('2025-01-01T00:00:00Z') },
      { pageNumber: 1, pageSize: 50 },
    );
    expect(customer).toEqual({ id: 1, number: 10000, subledgerAccountId: 99, name: 'A', billableRate: 95050 });

    const [token, call] = po.seen;
    expect(token.method).toBe('POST');
    expect(token.url).toBe('https://goapi.poweroffice.net/Demo/OAuth/Token');
    expect(token.headers.authorization).toBe(
      `Basic ${Buffer.from(`${APPLICATION_KEY}:${CLIENT_KEY}`).toString('base64')}`,
    );
    expect(token.headers['ocp-apim-subscription-key']).toBe(SUBSCRIPTION_KEY);
    expect(token.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
    expect(token.body).toBe('grant_type=client_credentials');

    const url = new URL(call.url);
    expect(url.origin + url.pathname).toBe('https://goapi.poweroffice.net/Demo/v2/Customers');
    expect(url.searchParams.get('customerNos')).toBe('10000,20000-');
    expect(url.searchParams.get('lastChangedDateTimeOffsetGreaterThan')).toBe('2025-01-01T00:00:00.000Z');
    expect(url.searchParams.get('PageNumber')).toBe('1');
    expect(url.searchParams.get('PageSize')).toBe('50');
    expect(call.headers.authorization).toBe('Bearer tok-1');
    expect(call.headers['ocp-apim-subscription-key']).toBe(SUBSCRIPTION_KEY);
    expect(call.headers['user-agent']).toMatch(/OpenOne/);

    expect(recorder.calls.map((c) => [c.method, c.pathTemplate, c.status, c.lane, c.tenantId])).toEqual([
      ['POST', '/OAuth/Token', 200, 'customer', 'tenant-1'],
      ['GET', '/Customers', 200, 'customer', 'tenant-1'],
    ]);
    expect(recorder.calls[1].path).toBe('/Customers');
  });

  it('sends PATCH as application/json-patch+json with PascalCase pointers and NOK, and skips it when nothing changed', async () => {
    const current = { Id: 5, Name: 'Kaffe', UnitPrice: 45, Code: 'K1' };
    const { po, api } = client({
      api: [
        { status: 200, body: current },
        { status: 200, body: { ...current, UnitPrice: 49.9 } },
      ],
    });
    const unchanged = await api.products.update(
      5,
      { name: 'Kaffe', unitPrice: 4500 },
      { id: 5, name: 'Kaffe', unitPrice: 4500, code: 'K1' },
    );
    expect(unchanged.changed).toBe(false);
    expect(po.seen).toHaveLength(0);

    const result = await api.products.update(5, { unitPrice: 4990, name: 'Kaffe' });
    expect(result.changed).toBe(true);
    expect(result.entity.unitPrice).toBe(4990);
    const patch = po.seen.find((s) => s.method === 'PATCH')!;
    expect(patch.url).toMatch(/\/v2\/Products\/5$/);
    expect(patch.headers['content-type']).toBe('application/json-patch+json');
    expect(JSON.parse(patch.body!)).toEqual([{ op: 'replace', path: '/UnitPrice', value: 49.9 }]);
  });

  it('renews the token once on 401 and repeats the call once', async () => {
    const { po, api, recorder } = client({ api: [{ status: 401 }, { status: 200, body: { LockDate: '2024-12-31' } }] });
    expect(await api.lockDate.get()).toEqual({ lockDate: '2024-12-31' });
    expect(po.seen.map((s) => (s.url.endsWith('/OAuth/Token') ? 'token' : s.headers.authorization))).toEqual([
      'token',
      'Bearer tok-1',
      'token',
      'Bearer tok-2',
    ]);
    expect(recorder.calls.map((c) => c.attempt)).toEqual([1, 1, 1, 2]);
  });

  it('a second 401 is TENANT_NOT_AUTHORISED, without a third try', async () => {
    const { po, api } = client({ api: [{ status: 401 }, { status: 401 }] });
    const err = (await api.vatCodes.listAll().catch((e: unknown) => e)) as IntegrationError;
    expect(err).toBeInstanceOf(PowerOfficeNotAuthorisedError);
    expect(err.code).toBe('TENANT_NOT_AUTHORISED');
    expect(po.seen.filter((s) => !s.url.endsWith('/OAuth/Token'))).toHaveLength(2);
    expectNoSecrets(`${err.message} ${JSON.stringify(err)} ${JSON.stringify(err.toOutcomeError())}`);
  });

  it('waits out a 429 of ≤ 2 s once; a longer one is surfaced with retryAfterMs', async () => {
    const short = client({
      api: [
        {
          status: 429,
          headers: { 'retry-after': '1' },
          body: { statusCode: '429', message: 'Rate limit is exceeded. Try again in 1 seconds.' },
        },
        { status: 204 },
      ],
    });
    const pending = short.api.vatCodes.listAll();
    await short.clock.advance(1000);
    expect(await pending).toEqual([]);

    const long = client({
      api: [{ status: 429, body: { statusCode: '429', message: 'Rate limit is exceeded. Try again in 5 seconds.' } }],
    });
    const err = (await long.api.vatCodes.listAll().catch((e: unknown) => e)) as PowerOfficeUnavailableError;
    expect(err).toBeInstanceOf(TransientError);
    expect(err.retryAfterMs).toBe(5000);
    expect(err.status).toBe(429);
  });

  it('a token refused as invalid_client is TENANT_NOT_AUTHORISED with PowerOffice’s words', async () => {
    const description =
      'Client integration not found. Please ensure the provided keys are matching the desired environment.';
    const { api, recorder } = client({
      token: [{ status: 400, body: { error: 'invalid_client', error_description: description } }],
    });
    const err = (await api.customers.get(1).catch((e: unknown) => e)) as IntegrationError;
    expect(err).toBeInstanceOf(PowerOfficeNotAuthorisedError);
    expect(err.powerOffice).toEqual({ status: 400, title: 'invalid_client', detail: description });
    expect(err.message).toContain('tenant-1');
    expect(err.message).toContain(description);
    expectNoSecrets(err.message + JSON.stringify(recorder.calls));
  });

  it('a rejection carries status, title and detail verbatim', async () => {
    const problem = {
      title: 'Customer validation error(s)',
      status: 400,
      detail: 'Name or FirstName/LastName is required.',
    };
    const { api } = client({ api: [{ status: 400, body: problem }] });
    const err = (await api.customers
      .create({ externalImportReference: 'C-9' })
      .catch((e: unknown) => e)) as PowerOfficeRejectedError;
    expect(err.code).toBe('POWEROFFICE_REJECTED');
    expect(err.powerOffice).toEqual({ status: 400, title: problem.title, detail: problem.detail });
    expect(err.message).toContain('new customer C-9');
  });

  it('timeouts and network errors are transient and recorded with no status', async () => {
    const timeout = Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' });
    const refused = Object.assign(new TypeError('fetch failed'), {
      cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
    });
    const { api, recorder } = client({ api: [timeout, refused] });
    const e1 = (await api.departments.listAll().catch((e: unknown) => e)) as IntegrationError;
    const e2 = (await api.departments.listAll().catch((e: unknown) => e)) as IntegrationError;
    expect(e1.retryable && e2.retryable).toBe(true);
    expect(e1.message).toContain('No answer from PowerOffice within 1 s');
    expect(e2.message).toContain('ECONNREFUSED');
    expect(recorder.calls.filter((c) => c.status === null).map((c) => c.errorTitle)).toEqual([
      'Timeout',
      'Network error',
    ]);
  });

  it('pages until a short page, treating 204 as empty', async () => {
    const page = (from: number, n: number) =>
      Array.from({ length: n }, (_, i) => ({ Id: from + i, Code: `P${from + i}` }));
    const { po, api } = client({
      api: [{ status: 200, body: page(1, 2) }, { status: 200, body: page(3, 2) }, { status: 204 }],
    });
    const codes: string[] = [];
    for await (const p of api.products.iterate({}, { pageSize: 2 })) codes.push(p.code!);
    expect(codes).toEqual(['P1', 'P2', 'P3', 'P4']);
    expect(
      po.seen.filter((s) => s.url.includes('/Products')).map((s) => new URL(s.url).searchParams.get('PageNumber')),
    ).toEqual(['1', '2', '3']);
  });
});

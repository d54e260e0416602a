// A deliberately small HTTP client for the emulator's integration tests: it speaks the wire protocol
// by hand (Basic token call, APIM header, JSON and JSON Patch bodies) so the tests show exactly what
// goes over the wire.
import type { CreateClientOptions, RunningEmulator } from '../../src/bootstrap';

export interface Reply {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  text: string;
  headers: Headers;
}

export interface RequestOptions {
  contentType?: string;
  token?: string | null;
  subscriptionKey?: string | null;
  rawBody?: string;
}

async function toReply(res: Response): Promise<Reply> {
  const text = await res.text();
  let body: unknown = undefined;
  if (text !== '') {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  return { status: res.status, body, text, headers: res.headers };
}

export function basic(applicationKey: string, clientKey: string): string {
  return `Basic ${Buffer.from(`${applicationKey}:${clientKey}`).toString('base64')}`;
}

export class GoApi {
  token: string | null = null;

  constructor(
    readonly emu: RunningEmulator,
    readonly clientKey: string,
    readonly environment: 'production' | 'demo' = 'production',
  ) {}

  get root(): string {
    return `${this.emu.baseUrl}${this.environment === 'demo' ? '/Demo' : ''}`;
  }

  async requestToken(
    clientKey = this.clientKey,
    applicationKey = this.emu.applicationKey,
    options: RequestOptions = {},
  ): Promise<Reply> {
    const headers: Record<string, string> = {
      Authorization: basic(applicationKey, clientKey),
      'Content-Type': options.contentType ?? 'application/x-www-form-urlencoded; charset=utf-8',
      Accept: 'application/json',
    };
    const sub = options.subscriptionKey === undefined ? this.emu.subscriptionKey : options.subscriptionKey;
    if (sub !== null) headers['Ocp-Apim-Subscription-Key'] = sub;
    const res = await fetch(`${this.root}/OAuth/Token`, {
      method: 'POST',
      headers,
      body: options.rawBody ?? 'grant_type=client_credentials',
    });
    return toReply(res);
  }

  async authenticate(): Promise<this> {
    const reply = await this.requestToken();
    if (reply.status !== 200) throw new Error(`token request failed: ${reply.status} ${reply.text}`);
    this.token = reply.body.access_token;
    return this;
  }

  async request(method: string, path: string, body?: unknown, options: RequestOptions = {}): Promise<Reply> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    const token = options.token === undefined ? this.token : options.token;
    if (token !== null) headers.Authorization = `Bearer ${token}`;
    const sub = options.subscriptionKey === undefined ? this.emu.subscriptionKey : options.subscriptionKey;
    if (sub !== null) headers['Ocp-Apim-Subscription-Key'] = sub;
    let payload: string | undefined = options.rawBody;
    if (body !== undefined) payload = JSON.stringify(body);
    if (payload !== undefined) {
      headers['Content-Type'] =
        options.contentType ?? (method === 'PATCH' ? 'application/json-patch+json' : 'application/json');
    }
    const res = await fetch(`${this.root}/v2${path}`, { method, headers, body: payload });
    return toReply(res);
  }

  get(path: string, options?: RequestOptions): Promise<Reply> {
    return this.request('GET', path, undefined, options);
  }

  post(path: string, body?: unknown, options?: RequestOptions): Promise<Reply> {
    return this.request('POST', path, body, options);
  }

  patch(path: string, operations: unknown, options?: RequestOptions): Promise<Reply> {
    return this.request('PATCH', path, operations, options);
  }

  /** GL account id by number (voucher lines take ids, not numbers). */
  async accountId(accountNo: number): Promise<number> {
    const r = await this.get(`/GeneralLedgerAccounts?accountNos=${accountNo}`);
    if (r.status !== 200) throw new Error(`account ${accountNo}: ${r.status}`);
    return r.body[0].Id;
  }

  /** VatCodeDto.Id by SAF-T code. */
  async vatId(code: string): Promise<number> {
    const r = await this.get('/VatCodes');
    return r.body.find((v: { Code: string }) => v.Code === code).Id;
  }
}

/** A new emulated Go client with a token, ready to call. */
export async function connect(
  emu: RunningEmulator,
  options: CreateClientOptions = {},
  environment: 'production' | 'demo' = 'production',
): Promise<GoApi> {
  const { clientKey } = await emu.admin.createClient(options);
  return new GoApi(emu, clientKey, environment).authenticate();
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

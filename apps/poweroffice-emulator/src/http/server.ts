import { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Problem } from '../domain/problem';
import { Emulator } from '../emulator';
import { handleAdmin } from './admin';
import { customerRoutes } from './api/customers';
import { productRoutes } from './api/products';
import { reportRoutes } from './api/reports';
import { salesOrderRoutes } from './api/sales-orders';
import { settingsRoutes } from './api/settings';
import { voucherRoutes } from './api/vouchers';
import { hashClientKey } from './request-log';
import { problem } from './responses';
import { Router } from './router';
import { Query } from './query';
import { ApiReply, Environment, RouteDefinition, TokenGrant } from './types';

const MAX_BODY_BYTES = 10 * 1024 * 1024;

const INVALID_CLIENT =
  'Client integration not found. Please ensure the provided keys are matching the desired environment.';

/** Azure API Management's own bodies: `{statusCode, message}`, no ProblemDetails. */
const apim = {
  missingKey: (): ApiReply => ({
    status: 401,
    body: {
      statusCode: 401,
      message:
        'Access denied due to missing subscription key. Make sure to include subscription key when making requests to an API.',
    },
  }),
  invalidKey: (): ApiReply => ({
    status: 401,
    body: {
      statusCode: 401,
      message:
        'Access denied due to invalid subscription key. Make sure to provide a valid key for an active subscription.',
    },
  }),
  notFound: (): ApiReply => ({ status: 404, body: { statusCode: 404, message: 'Resource not found' } }),
  // PowerOffice documents the 429 statusCode as a string ("429").
  rateLimited: (seconds: number): ApiReply => ({
    status: 429,
    headers: { 'Retry-After': String(seconds) },
    body: { statusCode: '429', message: `Rate limit is exceeded. Try again in ${seconds} seconds.` },
  }),
};

const STATUS_TITLES: Record<number, string> = {
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

function injected(status: number): ApiReply {
  if (status === 429) return apim.rateLimited(1);
  return problem(new Problem(status, STATUS_TITLES[status] ?? 'Error', 'Injected by the PowerOffice emulator.'));
}

/** Per-call facts the log needs, filled in as the pipeline learns them. */
interface CallContext {
  clientKey: string | null;
}

/**
 * The HTTP front of the emulator, ordered like the real stack: APIM (subscription key, rate limit,
 * route) → injected faults → the API's bearer-token check → auth roles → the operation.
 */
export class EmulatorHttp {
  private readonly router: Router;

  constructor(private readonly emu: Emulator) {
    const routes: RouteDefinition[] = [
      ...customerRoutes(emu),
      ...productRoutes(emu),
      ...settingsRoutes(emu),
      ...voucherRoutes(emu),
      ...salesOrderRoutes(emu),
      ...reportRoutes(emu),
    ];
    this.router = new Router(
      routes.map((r) => {
        const roles = r.roles ?? emu.schemas.rolesOf(r.path, r.method);
        if (!roles) throw new Error(`no auth roles for ${r.method} ${r.path} in the OpenAPI description`);
        return { ...r, roles };
      }),
    );
  }

  readonly listener = (req: IncomingMessage, res: ServerResponse): void => {
    this.handle(req, res).catch((e: unknown) => {
      console.error('poweroffice-emulator: unhandled error', e);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  };

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Taken before the body is read: the rate limiter should see when the call arrived.
    const started = performance.now();
    const nowMs = Date.now();
    const method = (req.method ?? 'GET').toUpperCase();
    const url = req.url ?? '/';
    const qi = url.indexOf('?');
    const rawPath = qi < 0 ? url : url.slice(0, qi);
    const search = qi < 0 ? '' : url.slice(qi + 1);
    const lower = rawPath.toLowerCase();

    const rawBody = await readBody(req);
    if (rawBody === null) {
      send(res, { status: 413, body: { statusCode: 413, message: 'Request entity too large.' } });
      return;
    }

    if (lower === '/_emulator' || lower.startsWith('/_emulator/')) {
      send(res, handleAdmin(this.emu, method, rawPath, search, rawBody));
      return;
    }

    const call: CallContext = { clientKey: null };
    let reply: ApiReply;
    try {
      reply = await this.api(req, method, rawPath, search, rawBody, nowMs, started, call);
    } catch (e) {
      if (e instanceof Problem) reply = problem(e);
      else {
        console.error('poweroffice-emulator: handler failed', e);
        reply = problem(new Problem(500, 'Internal Server Error', e instanceof Error ? e.message : String(e)));
      }
    }
    send(res, reply);
    const durationMs = Math.round((performance.now() - started) * 100) / 100;
    this.emu.log.record(
      {
        method,
        path: rawPath,
        query: redact(search),
        status: reply.status,
        clientKeyHash: call.clientKey ? hashClientKey(call.clientKey) : null,
        durationMs,
      },
      nowMs,
    );
    if (this.emu.config.logRequests) console.log(`${method} ${rawPath} ${reply.status} ${durationMs}ms`);
  }

  private async api(
    req: IncomingMessage,
    method: string,
    rawPath: string,
    search: string,
    rawBody: string,
    nowMs: number,
    arrivedAt: number,
    call: CallContext,
  ): Promise<ApiReply> {
    let environment: Environment = 'production';
    let prefix = '';
    let path = rawPath;
    if (/^\/demo(\/|$)/i.test(path)) {
      environment = 'demo';
      prefix = path.slice(0, 5);
      path = path.slice(5);
    }
    const lowerPath = path.toLowerCase().replace(/\/+$/, '');
    const isToken = lowerPath === '/oauth/token';
    const isApi = lowerPath.startsWith('/v2/');
    if (!isToken && !isApi) return apim.notFound();

    // APIM: the subscription key (header, or the `subscription-key` query parameter).
    const query = new Query(search);
    const subscriptionKey = header(req, 'ocp-apim-subscription-key') ?? query.get('subscription-key');
    if (subscriptionKey === undefined) return apim.missingKey();
    if (subscriptionKey !== this.emu.config.subscriptionKey) return apim.invalidKey();

    // APIM: 10 calls/s per subscription key, every client and token call counted together.
    const limiter = this.emu.subscriptionLimiter();
    if (limiter) {
      const verdict = limiter.tryAcquire(arrivedAt);
      if (!verdict.admitted) return apim.rateLimited(verdict.retryAfterSeconds);
    }

    if (isToken) {
      const basic = parseBasic(header(req, 'authorization'));
      call.clientKey = basic?.clientKey ?? null;
      const fault = await this.faults(call, nowMs);
      if (fault) return fault;
      if (method !== 'POST') return apim.notFound();
      return this.token(req, basic, rawBody, environment, nowMs);
    }

    const subPath = path.slice(3);
    const route = this.router.match(method, subPath);
    if (!route) return apim.notFound();

    const bearer = /^Bearer\s+(.+)$/i.exec(header(req, 'authorization') ?? '')?.[1]?.trim();
    const grant = bearer ? this.emu.tokens.find(bearer) : undefined;
    call.clientKey = grant?.clientKey ?? null;
    const fault = await this.faults(call, nowMs);
    if (fault) return fault;

    const denial = this.checkGrant(grant, environment, nowMs);
    if (denial) return denial;
    const g = grant!;
    if (route.roles !== 'any' && !route.roles.some((r) => g.privileges.has(r))) return { status: 403 };

    const host = header(req, 'host') ?? 'localhost';
    return route.handler({
      method,
      path: subPath,
      params: route.params,
      query,
      headers: req.headers,
      rawBody,
      contentType: header(req, 'content-type') ?? '',
      grant: g,
      client: g.client,
      apiBase: `http://${host}${prefix}/v2`,
      nowMs,
    });
  }

  /** Outage, injected errors, per-client rate limits and latency for this call, if any. */
  private async faults(call: CallContext, nowMs: number): Promise<ApiReply | null> {
    const decision = this.emu.faults.decide(call.clientKey, nowMs);
    if (decision.outage) return injected(503);
    for (const limiter of decision.limiters) {
      const verdict = limiter.tryAcquire(performance.now());
      if (!verdict.admitted) return apim.rateLimited(verdict.retryAfterSeconds);
    }
    if (decision.latencyMs > 0) await sleep(decision.latencyMs);
    if (decision.errorStatus !== null) return injected(decision.errorStatus);
    return null;
  }

  /** 401 (no body) for a missing, unknown, expired, revoked or wrong-environment token. */
  private checkGrant(grant: TokenGrant | undefined, environment: Environment, nowMs: number): ApiReply | null {
    const unauthorized = (description?: string): ApiReply => ({
      status: 401,
      headers: {
        'WWW-Authenticate': description ? `Bearer error="invalid_token", error_description="${description}"` : 'Bearer',
      },
    });
    if (!grant) return unauthorized();
    if (grant.expiresAtMs <= nowMs) return unauthorized('The token expired');
    if (grant.environment !== environment) return unauthorized('The token was issued for another environment');
    if (grant.client.revoked) return unauthorized('The client integration is no longer active');
    return null;
  }

  /** POST /OAuth/Token: the client-credentials grant with Basic applicationKey:clientKey. */
  private token(
    req: IncomingMessage,
    basic: { applicationKey: string; clientKey: string } | null,
    rawBody: string,
    environment: Environment,
    nowMs: number,
  ): ApiReply {
    const oauthError = (error: string, description: string): ApiReply => ({
      status: 400,
      body: { error, error_description: description },
      headers: { 'Cache-Control': 'no-store' },
    });
    const contentType = header(req, 'content-type') ?? '';
    if (!/^application\/x-www-form-urlencoded\s*(;|$)/i.test(contentType)) {
      return oauthError('invalid_request', "Content-Type must be 'application/x-www-form-urlencoded'.");
    }
    const grantType = new URLSearchParams(rawBody).get('grant_type');
    if (!grantType) return oauthError('invalid_request', "The 'grant_type' parameter is missing.");
    if (grantType !== 'client_credentials') {
      return oauthError('unsupported_grant_type', "Only the 'client_credentials' grant is supported.");
    }
    if (!basic) {
      return oauthError('invalid_client', "The Authorization header must be 'Basic base64(applicationKey:clientKey)'.");
    }
    const client = this.emu.clientByKey(basic.clientKey);
    if (
      basic.applicationKey.toLowerCase() !== this.emu.config.applicationKey.toLowerCase() ||
      !client ||
      client.revoked
    ) {
      return oauthError('invalid_client', INVALID_CLIENT);
    }
    const ttl = this.emu.config.tokenTtlSeconds;
    const grant = this.emu.tokens.issue(client, basic.clientKey.toLowerCase(), environment, ttl, nowMs);
    return {
      status: 200,
      headers: { 'Cache-Control': 'no-store', Pragma: 'no-cache' },
      body: { access_token: grant.token, token_type: 'bearer', expires_in: ttl },
    };
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  const s = Array.isArray(v) ? v[0] : v;
  return s === undefined || s === '' ? undefined : s;
}

function parseBasic(value: string | undefined): { applicationKey: string; clientKey: string } | null {
  const m = /^Basic\s+([A-Za-z0-9+/=_-]+)$/i.exec(value ?? '');
  if (!m) return null;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return null;
  return { applicationKey: decoded.slice(0, colon).trim(), clientKey: decoded.slice(colon + 1).trim() };
}

function readBody(req: IncomingMessage): Promise<string | null> {
  const method = req.method ?? 'GET';
  if ((method === 'GET' || method === 'HEAD') && !req.headers['content-length'] && !req.headers['transfer-encoding']) {
    req.resume();
    return Promise.resolve('');
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, reply: ApiReply): void {
  const headers: Record<string, string | number> = { ...reply.headers };
  let payload: string | undefined;
  if (reply.body !== undefined) {
    payload = JSON.stringify(reply.body);
    headers['Content-Type'] = reply.problem
      ? 'application/problem+json; charset=utf-8'
      : 'application/json; charset=utf-8';
    headers['Content-Length'] = Buffer.byteLength(payload);
  } else if (reply.status !== 204 && reply.status !== 304) {
    headers['Content-Length'] = 0;
  }
  res.writeHead(reply.status, headers);
  res.end(payload);
}

/** The query string for the log, without a subscription key passed as a parameter. */
function redact(search: string): string {
  if (!/subscription-key/i.test(search)) return search;
  return search
    .split('&')
    .filter((p) => !/^subscription-key=/i.test(p))
    .join('&');
}

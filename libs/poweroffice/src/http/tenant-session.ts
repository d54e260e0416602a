import { TokenCache } from '../auth/token-cache';
import { MAX_INLINE_RETRY_AFTER_MS, TokenRequestContext } from '../auth/token-endpoint';
import { CallContext } from '../errors/power-office-errors';
import { errorForResponse } from '../errors/classify';
import { parseProblem } from '../errors/problem-details';
import { parseRetryAfter, retryAfterFromMessage } from '../errors/retry-after';
import { Lane } from '../lanes';
import { ClientKey } from '../secrets';
import { exchange, ExchangeDeps, HttpMethod } from './exchange';

export type QueryValue = string | number | boolean | undefined | null;

export interface ApiRequest {
  method: HttpMethod;
  /** Path template below `/v2`, e.g. `/Customers/{id}`: recorded as is, filled from `params`. */
  path: string;
  params?: Record<string, string | number>;
  query?: Record<string, QueryValue>;
  /** Wire JSON (already PascalCase, NOK). */
  body?: unknown;
  /** Send the body as `application/json-patch+json`. */
  jsonPatch?: boolean;
  /** What is being worked on, for messages: `customer 42`. No personal data. */
  subject: string;
  /** The role PowerOffice's spec names for this endpoint (said in the error of a 403). */
  role?: string;
  signal?: AbortSignal;
}

export interface ApiResponse {
  status: number;
  /** Parsed JSON; undefined for 204 and empty bodies. */
  body: unknown;
  headers: Headers;
}

export interface SessionDeps extends ExchangeDeps {
  apiRoot: string;
  subscriptionKey: string;
  userAgent: string;
  tokens: TokenCache<TokenRequestContext>;
}

/**
 * Calls PowerOffice for one tenant, in one lane. Policy on failures (the pipeline owns retries):
 *
 * - 401: the token is renewed once and the call repeated once; a second 401 is "not authorised".
 * - 429 with Retry-After ≤ 2 s (or none): waited out and repeated once, through the budget again.
 *   A throttle is PowerOffice refusing before doing anything, so this is safe for writes too, and
 *   it spares the event a trip through the pipeline's backoff. Longer throttles are surfaced as a
 *   transient error with `retryAfterMs`.
 * - Everything else is returned (2xx) or thrown as a typed error at once: 5xx, timeouts and network
 *   errors are transient; the pipeline decides when to try again.
 */
export class TenantSession {
  constructor(
    private readonly deps: SessionDeps,
    readonly tenantId: string,
    private readonly clientKey: ClientKey,
    readonly lane: Lane,
  ) {}

  async send(req: ApiRequest): Promise<ApiResponse> {
    const path = fillPath(req.path, req.params);
    const url = `${this.deps.apiRoot}${path}${queryString(req.query)}`;
    const ctx: CallContext = { tenantId: this.tenantId, operation: `${req.method} ${req.path}`, subject: req.subject };
    const tokenContext: TokenRequestContext = { tenantId: this.tenantId, lane: this.lane, signal: req.signal };
    const body = req.body === undefined ? undefined : JSON.stringify(req.body);

    let token = await this.deps.tokens.get(this.clientKey, tokenContext);
    let renewed = false;
    let waitedOutThrottle = false;
    for (let attempt = 1; ; attempt++) {
      const res = await exchange(this.deps, {
        tenantId: this.tenantId,
        lane: this.lane,
        method: req.method,
        url,
        pathTemplate: req.path,
        path,
        headers: this.headers(
          token,
          body === undefined ? undefined : req.jsonPatch ? 'application/json-patch+json' : 'application/json',
        ),
        body,
        attempt,
        ctx,
        signal: req.signal,
      });
      if (res.status >= 200 && res.status < 300) return { status: res.status, body: res.body, headers: res.headers };

      if (res.status === 401 && !renewed) {
        renewed = true;
        token = await this.deps.tokens.renewAfterRejection(this.clientKey, token, tokenContext);
        continue;
      }
      const problem = parseProblem(res.body);
      const retryAfterMs =
        parseRetryAfter(res.headers.get('retry-after'), this.deps.clock.now()) ?? retryAfterFromMessage(problem.detail);
      if (res.status === 429 && !waitedOutThrottle && (retryAfterMs ?? 1000) <= MAX_INLINE_RETRY_AFTER_MS) {
        waitedOutThrottle = true;
        await this.deps.clock.sleep(retryAfterMs ?? 1000, req.signal);
        continue;
      }
      throw errorForResponse(ctx, {
        status: res.status,
        problem,
        retryAfterMs,
        requiredRole: req.role,
        afterRenewal: renewed,
      });
    }
  }

  private headers(token: string, contentType: string | undefined): Record<string, string> {
    const h: Record<string, string> = {
      Authorization: `Bearer ${token}`,
      'Ocp-Apim-Subscription-Key': this.deps.subscriptionKey,
      Accept: 'application/json',
      'User-Agent': this.deps.userAgent,
    };
    if (contentType) h['Content-Type'] = contentType;
    return h;
  }
}

function fillPath(template: string, params: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const v = params[name];
    if (v === undefined || v === '') throw new TypeError(`Missing path parameter "${name}" for ${template}`);
    return encodeURIComponent(String(v));
  });
}

function queryString(query: Record<string, QueryValue> = {}): string {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    qs.append(k, String(v));
  }
  const s = qs.toString();
  return s ? `?${s}` : '';
}

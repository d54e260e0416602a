import { PowerOfficeProblem } from '@lib/contracts';
import { CallContext, PowerOfficeNotAuthorisedError, PowerOfficeUnavailableError } from '../errors/power-office-errors';
import { errorForResponse } from '../errors/classify';
import { oauthErrorCode, parseProblem } from '../errors/problem-details';
import { parseRetryAfter, retryAfterFromMessage } from '../errors/retry-after';
import { exchange, ExchangeDeps } from '../http/exchange';
import { Lane } from '../lanes';
import { ClientKey } from '../secrets';
import { IssuedToken } from './token-cache';

export interface TokenRequestContext {
  tenantId: string;
  lane: Lane;
  signal?: AbortSignal;
}

export interface TokenEndpointConfig {
  tokenUrl: string;
  applicationKey: string;
  subscriptionKey: string;
  userAgent: string;
}

const TOKEN_PATH = '/OAuth/Token';
/** The client may wait out a short throttle itself; longer ones go back to the pipeline. */
export const MAX_INLINE_RETRY_AFTER_MS = 2_000;

/**
 * `POST {base}/OAuth/Token`, client-credentials grant: Basic auth with application key and client
 * key, the subscription key header, `grant_type=client_credentials`. Counted against the budget and
 * recorded like every other call.
 */
export async function requestAccessToken(
  deps: ExchangeDeps,
  config: TokenEndpointConfig,
  clientKey: ClientKey,
  context: TokenRequestContext,
): Promise<IssuedToken> {
  const ctx: CallContext = { tenantId: context.tenantId, operation: `POST ${TOKEN_PATH}`, subject: 'access token' };
  for (let attempt = 1; ; attempt++) {
    const res = await exchange(deps, {
      tenantId: context.tenantId,
      lane: context.lane,
      method: 'POST',
      url: config.tokenUrl,
      pathTemplate: TOKEN_PATH,
      path: TOKEN_PATH,
      headers: {
        Authorization: `Basic ${Buffer.from(`${config.applicationKey}:${clientKey.reveal()}`, 'utf8').toString('base64')}`,
        'Ocp-Apim-Subscription-Key': config.subscriptionKey,
        'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8',
        Accept: 'application/json',
        'User-Agent': config.userAgent,
      },
      body: 'grant_type=client_credentials',
      attempt,
      ctx,
      signal: context.signal,
    });

    if (res.status === 200) return issuedToken(res.body, ctx);

    const problem = parseProblem(res.body);
    const retryAfterMs =
      parseRetryAfter(res.headers.get('retry-after'), deps.clock.now()) ?? retryAfterFromMessage(problem.detail);
    if (res.status === 429 && attempt === 1 && (retryAfterMs ?? 1000) <= MAX_INLINE_RETRY_AFTER_MS) {
      await deps.clock.sleep(retryAfterMs ?? 1000, context.signal);
      continue;
    }
    throw tokenError(ctx, res.status, res.body, retryAfterMs);
  }
}

function issuedToken(body: unknown, ctx: CallContext): IssuedToken {
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const accessToken = b.access_token;
  const expiresIn = Number(b.expires_in);
  if (typeof accessToken !== 'string' || accessToken === '' || !(expiresIn > 0)) {
    throw new PowerOfficeUnavailableError(
      `PowerOffice answered the token request for tenant ${ctx.tenantId} with 200 but no usable access_token/expires_in; retry later.`,
      ctx,
      { status: 200 },
    );
  }
  return { accessToken, expiresInSec: expiresIn };
}

function tokenError(ctx: CallContext, status: number, body: unknown, retryAfterMs: number | undefined): Error {
  const problem = parseProblem(body);
  const powerOffice: PowerOfficeProblem = { status, ...problem };
  delete (powerOffice as { type?: string }).type;
  const said = [problem.title, problem.detail].filter(Boolean).join(': ');
  const quoted = said ? ` (${said})` : '';

  if (status === 400) {
    const code = oauthErrorCode(body);
    if (code === 'invalid_client' || code === 'unauthorized_client' || code === 'invalid_grant') {
      return new PowerOfficeNotAuthorisedError(
        `PowerOffice does not accept the client key of tenant ${ctx.tenantId}${quoted}. Ask the customer to add the ` +
          'Open One extension in PowerOffice Go (Settings → Extensions) and enter its client key again; the key must ' +
          'come from the same environment (demo or production) as POWEROFFICE_BASE_URL.',
        ctx,
        { powerOffice },
      );
    }
    return new PowerOfficeNotAuthorisedError(
      `PowerOffice refused the token request for tenant ${ctx.tenantId}${quoted}; no access token can be had until this is fixed.`,
      ctx,
      { powerOffice },
    );
  }
  if (status === 401 || status === 403) {
    return new PowerOfficeNotAuthorisedError(
      `PowerOffice refused the integration's own keys when getting a token for tenant ${ctx.tenantId} (${status})${quoted}. ` +
        'Check POWEROFFICE_SUBSCRIPTION_KEY and POWEROFFICE_APPLICATION_KEY (and that they belong to the environment of POWEROFFICE_BASE_URL).',
      ctx,
      { powerOffice },
    );
  }
  return errorForResponse(ctx, { status, problem, retryAfterMs });
}

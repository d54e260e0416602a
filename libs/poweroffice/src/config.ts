/** What the client library needs to know about the integration itself (not about a tenant). */
export interface PowerOfficeConfig {
  /** `https://goapi.poweroffice.net`, `https://goapi.poweroffice.net/Demo`, or the emulator. */
  baseUrl: string;
  /** The integration's application key (OAuth client_id). */
  applicationKey: string;
  /** The APIM subscription key: sent on every call, and what the shared rate limit is counted by. */
  subscriptionKey: string;
  /** Requests per second of the shared budget; 0 = unlimited (benchmarks against the emulator only). */
  rateLimit: number;
  /** Per-request timeout; default 30 s. */
  timeoutMs?: number;
  /** PowerOffice asks integrations to identify themselves. */
  userAgent?: string;
  /**
   * Share of the rate left unused (0–0.5). Requests reach PowerOffice with network and timer jitter
   * after their slot; a sliding 1-second window counts them on arrival, so pacing exactly at the
   * limit would now and then put one request too many in a window and earn a 429.
   */
  budgetHeadroom?: number;
}

export const DEFAULT_BUDGET_HEADROOM = 0.08;

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_RATE_LIMIT = 10;
export const DEFAULT_BASE_URL = 'http://127.0.0.1:4010';
export const DEFAULT_USER_AGENT = 'OpenOne-PowerOffice-Integration/0.1 (Open POS Norway)';

/**
 * The emulator's development keys (apps/poweroffice-emulator EMULATOR_DEFAULTS). Repeated here
 * rather than imported because a library must not depend on an app; they are not secrets.
 */
export const EMULATOR_DEV_KEYS = {
  applicationKey: '00000000-0000-4000-8000-0000000a0001',
  subscriptionKey: 'e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0',
} as const;

/** Thrown when POWEROFFICE_* settings are missing or malformed; names the variable. */
export class PowerOfficeConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`${variable} ${problem}`);
    this.name = 'PowerOfficeConfigError';
  }
}

/** The API root (`…/v2`) and token URL for a base URL; `/Demo` in the base carries over to both. */
export function powerOfficeUrls(baseUrl: string): { apiRoot: string; tokenUrl: string } {
  const base = baseUrl.replace(/\/+$/, '');
  return { apiRoot: `${base}/v2`, tokenUrl: `${base}/OAuth/Token` };
}

/** Reads POWEROFFICE_BASE_URL, _APPLICATION_KEY, _SUBSCRIPTION_KEY, _RATE_LIMIT, _TIMEOUT_MS and _BUDGET_HEADROOM. */
export function powerOfficeConfigFromEnv(env: NodeJS.ProcessEnv = process.env): PowerOfficeConfig {
  const baseUrl = (env.POWEROFFICE_BASE_URL ?? '').trim() || DEFAULT_BASE_URL;
  try {
    const u = new URL(baseUrl);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error();
  } catch {
    throw new PowerOfficeConfigError('POWEROFFICE_BASE_URL', `must be an http(s) URL, got "${baseUrl}"`);
  }
  return {
    baseUrl,
    applicationKey: (env.POWEROFFICE_APPLICATION_KEY ?? '').trim() || EMULATOR_DEV_KEYS.applicationKey,
    subscriptionKey: (env.POWEROFFICE_SUBSCRIPTION_KEY ?? '').trim() || EMULATOR_DEV_KEYS.subscriptionKey,
    rateLimit: nonNegativeNumber(env, 'POWEROFFICE_RATE_LIMIT', DEFAULT_RATE_LIMIT),
    timeoutMs: nonNegativeNumber(env, 'POWEROFFICE_TIMEOUT_MS', DEFAULT_TIMEOUT_MS) || DEFAULT_TIMEOUT_MS,
    budgetHeadroom: headroom(env),
  };
}

function headroom(env: NodeJS.ProcessEnv): number {
  const h = nonNegativeNumber(env, 'POWEROFFICE_BUDGET_HEADROOM', DEFAULT_BUDGET_HEADROOM);
  if (h > 0.5) throw new PowerOfficeConfigError('POWEROFFICE_BUDGET_HEADROOM', `must be between 0 and 0.5, got "${h}"`);
  return h;
}

function nonNegativeNumber(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new PowerOfficeConfigError(name, `must be a number ≥ 0, got "${raw}"`);
  return n;
}

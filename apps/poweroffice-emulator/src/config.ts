/**
 * Fixed development keys, so a developer's .env, the demo and the tests agree without setup. They
 * only open the emulator: the real PowerOffice issues its own.
 */
export const EMULATOR_DEFAULTS = {
  /** Application key (GUID), the OAuth client_id. */
  applicationKey: '00000000-0000-4000-8000-0000000a0001',
  /** APIM subscription key (hex, not a GUID — as PowerOffice's are). */
  subscriptionKey: 'e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0',
  /** Requests per second per subscription key, all clients and token calls together. */
  rateLimit: 10,
  /** Go issues 20-minute tokens. */
  tokenTtlSeconds: 1200,
  port: 4010,
  host: '127.0.0.1',
  listLagMs: 0,
  invoiceProcessingMs: 0,
} as const;

export interface EmulatorEnvOptions {
  port: number;
  host: string;
  applicationKey: string;
  subscriptionKey: string;
  rateLimit: number;
  tokenTtlSeconds: number;
  listLagMs: number;
  logRequests: boolean;
  openApiFile?: string;
  /** Client keys to create at start (ns4102 preset), for a ready-to-use dev emulator. */
  seedClientKeys: string[];
}

/** Reads the emulator's environment; a malformed number is an error naming the variable. */
export function optionsFromEnv(env: NodeJS.ProcessEnv = process.env): EmulatorEnvOptions {
  const number = (name: string, fallback: number): number => {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') return fallback;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a non-negative number (got '${raw}')`);
    return n;
  };
  return {
    port: number('PORT', EMULATOR_DEFAULTS.port),
    host: env.EMULATOR_HOST || EMULATOR_DEFAULTS.host,
    applicationKey: env.EMULATOR_APPLICATION_KEY || EMULATOR_DEFAULTS.applicationKey,
    subscriptionKey: env.EMULATOR_SUBSCRIPTION_KEY || EMULATOR_DEFAULTS.subscriptionKey,
    rateLimit: number('EMULATOR_RATE_LIMIT', EMULATOR_DEFAULTS.rateLimit),
    tokenTtlSeconds: number('EMULATOR_TOKEN_TTL_SECONDS', EMULATOR_DEFAULTS.tokenTtlSeconds),
    listLagMs: number('EMULATOR_LIST_LAG_MS', EMULATOR_DEFAULTS.listLagMs),
    logRequests: /^(1|true|yes)$/i.test(env.EMULATOR_LOG_REQUESTS ?? ''),
    openApiFile: env.POWEROFFICE_OPENAPI_FILE || undefined,
    seedClientKeys: (env.EMULATOR_CLIENT_KEYS ?? '')
      .split(',')
      .map((k) => k.trim())
      .filter((k) => k !== ''),
  };
}

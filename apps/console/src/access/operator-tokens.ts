import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Who may use the console over HTTP: the operator tokens of CONSOLE_OPERATOR_TOKEN, a comma-separated
 * list of `name:token` pairs (or bare tokens, named `operator`, `operator-2`, …). The name is the
 * actor recorded in the audit and action logs; the token itself is never stored, logged or echoed.
 */
export interface Operator {
  name: string;
}

/** What the console falls back to outside production, loudly: a known token protects nothing. */
export const DEV_OPERATOR_TOKEN = 'dev:dev-console-token';

/** Production tokens shorter than this are refused at start-up: they could be guessed. */
export const MIN_PRODUCTION_TOKEN_LENGTH = 16;

const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;

interface Credential {
  name: string;
  digest: Buffer;
}

export class OperatorTokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OperatorTokenError';
  }
}

/** sha256 of a token: every comparison is between equal-length digests, whatever the input length. */
function digestOf(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

export class OperatorTokens {
  private constructor(private readonly credentials: readonly Credential[]) {}

  /**
   * Parses CONSOLE_OPERATOR_TOKEN. Problems are reported by position and name, never by token
   * value, so the message is safe to print.
   */
  static parse(setting: string, options: { production?: boolean } = {}): OperatorTokens {
    const entries = setting
      .split(',')
      .map((e) => e.trim())
      .filter((e) => e !== '');
    if (entries.length === 0) throw new OperatorTokenError('CONSOLE_OPERATOR_TOKEN holds no token');
    const credentials: Credential[] = [];
    const seenNames = new Set<string>();
    entries.forEach((entry, index) => {
      const colon = entry.indexOf(':');
      const named = colon > 0;
      const name = named ? entry.slice(0, colon).trim() : index === 0 ? 'operator' : `operator-${index + 1}`;
      const token = named ? entry.slice(colon + 1).trim() : entry;
      const where = `CONSOLE_OPERATOR_TOKEN entry ${index + 1}${named ? ` ("${name}")` : ''}`;
      if (!NAME_PATTERN.test(name))
        throw new OperatorTokenError(`${where}: the name must be 1–64 letters, digits, ".", "_", "@" or "-"`);
      if (seenNames.has(name)) throw new OperatorTokenError(`${where}: the name "${name}" is used twice`);
      if (token === '') throw new OperatorTokenError(`${where}: the token is empty`);
      if (options.production && token.length < MIN_PRODUCTION_TOKEN_LENGTH)
        throw new OperatorTokenError(
          `${where}: the token is shorter than ${MIN_PRODUCTION_TOKEN_LENGTH} characters; use a random one (openssl rand -hex 24)`,
        );
      seenNames.add(name);
      credentials.push({ name, digest: digestOf(token) });
    });
    return new OperatorTokens(credentials);
  }

  get names(): string[] {
    return this.credentials.map((c) => c.name);
  }

  /**
   * The operator a presented token belongs to, or null. Compares digests in constant time and
   * always against every configured token, so neither the length nor the position of a match leaks.
   */
  authenticate(presented: string | null | undefined): Operator | null {
    if (typeof presented !== 'string' || presented === '') return null;
    const digest = digestOf(presented);
    let found: Credential | null = null;
    for (const credential of this.credentials) {
      if (timingSafeEqual(credential.digest, digest) && found === null) found = credential;
    }
    return found ? { name: found.name } : null;
  }
}

/** The token of an `Authorization: Bearer <token>` header, or null. */
export function bearerToken(header: string | string[] | undefined): string | null {
  const value = Array.isArray(header) ? header[0] : header;
  if (typeof value !== 'string') return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(value);
  return match ? match[1] : null;
}

/**
 * The operator tokens a console process runs with. Production without CONSOLE_OPERATOR_TOKEN is
 * refused; elsewhere the dev token stands in, with a warning naming it.
 */
export function operatorTokensFor(
  setting: string | undefined,
  nodeEnv: string | undefined,
  warn: (message: string) => void,
): OperatorTokens {
  const production = nodeEnv === 'production';
  if (setting === undefined || setting.trim() === '') {
    if (production) {
      throw new OperatorTokenError(
        'CONSOLE_OPERATOR_TOKEN is required in production: set it to name:token pairs, e.g. "kari:<random 24+ characters>"',
      );
    }
    warn(
      `CONSOLE_OPERATOR_TOKEN is not set: the console accepts the development token "${DEV_OPERATOR_TOKEN.split(':')[1]}" ` +
        '(operator "dev"). Never run like this outside a developer machine.',
    );
    return OperatorTokens.parse(DEV_OPERATOR_TOKEN);
  }
  return OperatorTokens.parse(setting, { production });
}

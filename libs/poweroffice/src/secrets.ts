import { createHash } from 'node:crypto';
import { inspect } from 'node:util';

/** SHA-256 (hex) of a secret: lets us key caches and table rows by a key without holding the key. */
export function secretFingerprint(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/**
 * A tenant's PowerOffice client key. The value is kept in a private field and every way an object
 * usually leaks into a log (String(), JSON.stringify, console.log/util.inspect) prints a
 * placeholder instead, so passing a client around can never print the secret.
 */
export class ClientKey {
  readonly #value: string;
  /** SHA-256 of the key: what caches are keyed by. */
  readonly fingerprint: string;

  constructor(value: string) {
    if (typeof value !== 'string' || value.trim() === '') {
      throw new TypeError('A PowerOffice client key must be a non-empty string');
    }
    this.#value = value.trim();
    this.fingerprint = secretFingerprint(this.#value);
  }

  /** The key itself; only the token request needs it. */
  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return '[client key]';
  }

  toJSON(): string {
    return '[client key]';
  }

  [inspect.custom](): string {
    return '[client key]';
  }
}

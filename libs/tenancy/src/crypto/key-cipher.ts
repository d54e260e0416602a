import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Encryption at rest for tenants' PowerOffice client keys (AES-256-GCM).
 *
 * Stored form: `v1:<keyId>:<iv>:<tag>:<ciphertext>` (iv, tag, ciphertext in base64). The key id
 * (first 8 hex of sha256 of the encryption key) says which key sealed a value, so the current key
 * can be rotated: the previous keys stay readable through TENANT_KEY_ENCRYPTION_KEYS_OLD until
 * `reencryptAll()` has rewritten every row under the new key.
 *
 * Each value is bound to its tenant through GCM's associated data: a ciphertext copied into
 * another tenant's row fails authentication instead of silently handing tenant B tenant A's
 * PowerOffice client (architecture principle 8).
 */

export const CURRENT_KEY_VARIABLE = 'TENANT_KEY_ENCRYPTION_KEY';
export const OLD_KEYS_VARIABLE = 'TENANT_KEY_ENCRYPTION_KEYS_OLD';

/**
 * Fixed, public key for local runs and tests only. Used when TENANT_KEY_ENCRYPTION_KEY is unset and
 * NODE_ENV is not "production"; refused in production even when configured explicitly.
 */
export const DEV_ONLY_TENANT_KEY_ENCRYPTION_KEY = 'ZGV2LW9ubHktdGVuYW50LWtleS0zMi1ieXRlcy0hISE=';

const FORMAT_VERSION = 'v1';
const KEY_BYTES = 32;
const IV_BYTES = 12; // the GCM nonce size the standard recommends
const TAG_BYTES = 16;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** The encryption key configuration is missing or malformed; names the variable, never the value. */
export class KeyConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyConfigError';
  }
}

/** A stored client key could not be opened. The message names the tenant and the cause, never key material. */
export class ClientKeyDecryptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ClientKeyDecryptionError';
  }
}

/** Key id: first 8 hex digits of sha256(key). Identifies a key in ciphertexts and logs without revealing it. */
export function keyIdOf(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

/**
 * A short sha256 prefix of a client key, kept beside the ciphertext so support can tell
 * "is this the key the customer just sent us?" without decrypting anything. 12 hex digits (48 bits)
 * of a 122-bit random GUID give no useful help to anyone guessing the key.
 */
export function clientKeyFingerprint(clientKey: string): string {
  return createHash('sha256').update(clientKey.trim(), 'utf8').digest('hex').slice(0, 12);
}

/**
 * Decodes one base64 key and checks it is exactly 32 bytes. `source` names where it came from
 * (e.g. "TENANT_KEY_ENCRYPTION_KEY") so the message tells the operator what to fix.
 */
export function parseEncryptionKey(value: string, source: string): Buffer {
  const text = value.trim();
  if (text === '')
    throw new KeyConfigError(
      `${source} is empty; it must be 32 random bytes in base64 (e.g. \`openssl rand -base64 32\`).`,
    );
  if (!BASE64.test(text) || text.length % 4 !== 0) {
    throw new KeyConfigError(
      `${source} is not valid base64 (${text.length} characters); it must be 32 random bytes in base64, ` +
        '44 characters ending in "=" (e.g. `openssl rand -base64 32`).',
    );
  }
  const key = Buffer.from(text, 'base64');
  if (key.length !== KEY_BYTES) {
    throw new KeyConfigError(
      `${source} decodes to ${key.length} bytes; AES-256 needs exactly ${KEY_BYTES} bytes ` +
        '(44 base64 characters, e.g. `openssl rand -base64 32`).',
    );
  }
  return key;
}

export interface KeyCipherLogger {
  warn(message: string, fields?: Record<string, unknown>): void;
}

export interface KeyCipherEnvOptions {
  env?: NodeJS.ProcessEnv;
  logger?: KeyCipherLogger;
}

interface ParsedCiphertext {
  keyId: string;
  iv: Buffer;
  tag: Buffer;
  ciphertext: Buffer;
}

export class KeyCipher {
  /** Id of the key new values are sealed with. */
  readonly currentKeyId: string;
  private readonly keys = new Map<string, Buffer>();

  /** `current` seals and opens; `old` only open (during a rotation). */
  constructor(current: Buffer, old: readonly Buffer[] = []) {
    if (current.length !== KEY_BYTES)
      throw new KeyConfigError(`the current encryption key must be ${KEY_BYTES} bytes, got ${current.length}`);
    this.currentKeyId = keyIdOf(current);
    this.keys.set(this.currentKeyId, Buffer.from(current));
    old.forEach((key, i) => {
      if (key.length !== KEY_BYTES)
        throw new KeyConfigError(`old encryption key ${i + 1} must be ${KEY_BYTES} bytes, got ${key.length}`);
      const id = keyIdOf(key);
      if (!this.keys.has(id)) this.keys.set(id, Buffer.from(key));
    });
  }

  /**
   * Reads TENANT_KEY_ENCRYPTION_KEY (and TENANT_KEY_ENCRYPTION_KEYS_OLD, comma-separated).
   * Outside production a missing key falls back to DEV_ONLY_TENANT_KEY_ENCRYPTION_KEY with a
   * warning; in production it is an error, and so is configuring the dev key.
   */
  static fromEnv(options: KeyCipherEnvOptions = {}): KeyCipher {
    const env = options.env ?? process.env;
    const production = env.NODE_ENV === 'production';
    const configured = env[CURRENT_KEY_VARIABLE];
    let current: Buffer;
    if (configured === undefined || configured.trim() === '') {
      if (production) {
        throw new KeyConfigError(
          `${CURRENT_KEY_VARIABLE} is not set. In production it is required: 32 random bytes in base64 ` +
            '(e.g. `openssl rand -base64 32`), kept in the secret store, the same for every service.',
        );
      }
      current = parseEncryptionKey(DEV_ONLY_TENANT_KEY_ENCRYPTION_KEY, 'DEV_ONLY_TENANT_KEY_ENCRYPTION_KEY');
      options.logger?.warn(
        `${CURRENT_KEY_VARIABLE} is not set: client keys are encrypted with the built-in DEV_ONLY key ` +
          `(key id ${keyIdOf(current)}). Fine for local runs; set ${CURRENT_KEY_VARIABLE} anywhere real.`,
      );
    } else {
      current = parseEncryptionKey(configured, CURRENT_KEY_VARIABLE);
    }
    if (production && keyIdOf(current) === keyIdOf(Buffer.from(DEV_ONLY_TENANT_KEY_ENCRYPTION_KEY, 'base64'))) {
      throw new KeyConfigError(
        `${CURRENT_KEY_VARIABLE} is the public DEV_ONLY key, which must not protect production client keys.`,
      );
    }
    const oldList = (env[OLD_KEYS_VARIABLE] ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
    const old = oldList.map((value, i) => parseEncryptionKey(value, `${OLD_KEYS_VARIABLE} entry ${i + 1}`));
    return new KeyCipher(current, old);
  }

  /** Ids of every key this cipher can open (current first). */
  get keyIds(): string[] {
    return [...this.keys.keys()];
  }

  /** Seals a client key for one tenant under the current key. */
  encrypt(clientKey: string, tenantId: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.currentKeyId)!, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(associatedData(tenantId));
    const ciphertext = Buffer.concat([cipher.update(clientKey, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [
      FORMAT_VERSION,
      this.currentKeyId,
      iv.toString('base64'),
      tag.toString('base64'),
      ciphertext.toString('base64'),
    ].join(':');
  }

  /** Opens a value sealed by `encrypt` for the same tenant, with the current or an old key. */
  decrypt(stored: string, tenantId: string): string {
    const parsed = parseStored(stored, tenantId);
    const key = this.keys.get(parsed.keyId);
    if (!key) {
      throw new ClientKeyDecryptionError(
        `The client key of tenant ${tenantId} was encrypted with key id ${parsed.keyId}, which is neither ` +
          `${CURRENT_KEY_VARIABLE} (key id ${this.currentKeyId}) nor in ${OLD_KEYS_VARIABLE}` +
          `${this.keys.size > 1 ? ` (key ids ${this.keyIds.slice(1).join(', ')})` : ''}. ` +
          `Add the key it was sealed with to ${OLD_KEYS_VARIABLE}.`,
      );
    }
    const decipher = createDecipheriv('aes-256-gcm', key, parsed.iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(associatedData(tenantId));
    decipher.setAuthTag(parsed.tag);
    try {
      return Buffer.concat([decipher.update(parsed.ciphertext), decipher.final()]).toString('utf8');
    } catch {
      throw new ClientKeyDecryptionError(
        `The client key of tenant ${tenantId} failed authentication (key id ${parsed.keyId}): the stored value ` +
          'was altered, truncated, or belongs to another tenant. Ask the customer for the client key again.',
      );
    }
  }

  /** True when the value was sealed with a key other than the current one (a rotation is pending for it). */
  needsReencryption(stored: string): boolean {
    return keyIdOfCiphertext(stored) !== this.currentKeyId;
  }

  /** Same secret and same tenant? Compares without leaking timing. */
  sealsSameKey(stored: string, tenantId: string, clientKey: string): boolean {
    const a = Buffer.from(this.decrypt(stored, tenantId), 'utf8');
    const b = Buffer.from(clientKey, 'utf8');
    return a.length === b.length && timingSafeEqual(a, b);
  }
}

/** The key id recorded in a stored value (no key needed). */
export function keyIdOfCiphertext(stored: string): string {
  return parseStored(stored, '?').keyId;
}

function associatedData(tenantId: string): Buffer {
  return Buffer.from(`tenancy.client_key:${tenantId}`, 'utf8');
}

function parseStored(stored: string, tenantId: string): ParsedCiphertext {
  const parts = stored.split(':');
  if (parts.length !== 5 || parts[0] !== FORMAT_VERSION || !/^[0-9a-f]{8}$/.test(parts[1])) {
    throw new ClientKeyDecryptionError(
      `The stored client key of tenant ${tenantId} is not in the expected "${FORMAT_VERSION}:<keyId>:<iv>:<tag>:<ciphertext>" form.`,
    );
  }
  const [, keyId, iv, tag, ciphertext] = parts;
  const decoded = {
    iv: Buffer.from(iv, 'base64'),
    tag: Buffer.from(tag, 'base64'),
    ciphertext: Buffer.from(ciphertext, 'base64'),
  };
  if (decoded.iv.length !== IV_BYTES || decoded.tag.length !== TAG_BYTES || decoded.ciphertext.length === 0) {
    throw new ClientKeyDecryptionError(
      `The stored client key of tenant ${tenantId} is damaged (bad IV, tag or ciphertext length).`,
    );
  }
  return { keyId, ...decoded };
}

import { randomBytes } from 'node:crypto';
import {
  ClientKeyDecryptionError,
  clientKeyFingerprint,
  DEV_ONLY_TENANT_KEY_ENCRYPTION_KEY,
  KeyCipher,
  KeyConfigError,
  keyIdOf,
  keyIdOfCiphertext,
  parseEncryptionKey,
} from './key-cipher';

const CLIENT_KEY = '6f1c2a7e-1d5b-4c1e-9a37-2b8f0e4d9c11';
const keyA = randomBytes(32);
const keyB = randomBytes(32);
const b64 = (b: Buffer) => b.toString('base64');

/** Flips one bit of the base64 field `index` (2 = iv, 3 = tag, 4 = ciphertext) of a stored value. */
function flip(stored: string, index: number): string {
  const parts = stored.split(':');
  const bytes = Buffer.from(parts[index], 'base64');
  bytes[0] ^= 0x01;
  parts[index] = bytes.toString('base64');
  return parts.join(':');
}

describe('KeyCipher', () => {
  it('round-trips a client key and stores the self-describing v1 form with the key id', () => {
    const cipher = new KeyCipher(keyA);
    const stored = cipher.encrypt(CLIENT_KEY, 'shop-1');

    expect(stored).toMatch(/^v1:[0-9a-f]{8}:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/);
    expect(stored.split(':')[1]).toBe(keyIdOf(keyA));
    expect(stored).not.toContain(CLIENT_KEY);
    expect(cipher.decrypt(stored, 'shop-1')).toBe(CLIENT_KEY);
  });

  it('uses a fresh 12-byte IV per encryption', () => {
    const cipher = new KeyCipher(keyA);
    const one = cipher.encrypt(CLIENT_KEY, 'shop-1');
    const two = cipher.encrypt(CLIENT_KEY, 'shop-1');

    expect(one).not.toBe(two);
    expect(Buffer.from(one.split(':')[2], 'base64')).toHaveLength(12);
    expect(Buffer.from(one.split(':')[3], 'base64')).toHaveLength(16);
  });

  it.each([
    ['auth tag', 3],
    ['ciphertext', 4],
    ['IV', 2],
  ])('detects a tampered %s', (_what, index) => {
    const cipher = new KeyCipher(keyA);
    const tampered = flip(cipher.encrypt(CLIENT_KEY, 'shop-1'), index);

    expect(() => cipher.decrypt(tampered, 'shop-1')).toThrow(ClientKeyDecryptionError);
    expect(() => cipher.decrypt(tampered, 'shop-1')).toThrow(/failed authentication/);
  });

  it("refuses another tenant's ciphertext (bound to the tenant id)", () => {
    const cipher = new KeyCipher(keyA);
    const stored = cipher.encrypt(CLIENT_KEY, 'shop-1');

    expect(() => cipher.decrypt(stored, 'shop-2')).toThrow(/tenant shop-2 failed authentication/);
  });

  it('rejects a damaged stored value with a message that contains no key material', () => {
    const cipher = new KeyCipher(keyA);
    expect(() => cipher.decrypt('v1:abc', 'shop-1')).toThrow(/not in the expected/);
    expect(() => cipher.decrypt(`v1:${keyIdOf(keyA)}:AAAA:AAAA:AAAA`, 'shop-1')).toThrow(/damaged/);
  });

  describe('rotation', () => {
    it('opens values sealed with an old key and seals new ones with the current key', () => {
      const before = new KeyCipher(keyA);
      const stored = before.encrypt(CLIENT_KEY, 'shop-1');
      const rotated = new KeyCipher(keyB, [keyA]);

      expect(rotated.decrypt(stored, 'shop-1')).toBe(CLIENT_KEY);
      expect(rotated.needsReencryption(stored)).toBe(true);
      const resealed = rotated.encrypt(rotated.decrypt(stored, 'shop-1'), 'shop-1');
      expect(keyIdOfCiphertext(resealed)).toBe(keyIdOf(keyB));
      expect(rotated.needsReencryption(resealed)).toBe(false);
      expect(() => before.decrypt(resealed, 'shop-1')).toThrow(/neither/);
    });

    it('says which key id is missing when the old key is not configured', () => {
      const stored = new KeyCipher(keyA).encrypt(CLIENT_KEY, 'shop-1');
      const withoutOld = new KeyCipher(keyB);

      expect(() => withoutOld.decrypt(stored, 'shop-1')).toThrow(
        new RegExp(
          `key id ${keyIdOf(keyA)}.*TENANT_KEY_ENCRYPTION_KEY \\(key id ${keyIdOf(keyB)}\\).*TENANT_KEY_ENCRYPTION_KEYS_OLD`,
        ),
      );
    });

    it('reads the old keys from TENANT_KEY_ENCRYPTION_KEYS_OLD (comma list)', () => {
      const keyC = randomBytes(32);
      const cipher = KeyCipher.fromEnv({
        env: { TENANT_KEY_ENCRYPTION_KEY: b64(keyB), TENANT_KEY_ENCRYPTION_KEYS_OLD: ` ${b64(keyA)} ,${b64(keyC)}` },
      });

      expect(cipher.currentKeyId).toBe(keyIdOf(keyB));
      expect(cipher.keyIds).toEqual([keyIdOf(keyB), keyIdOf(keyA), keyIdOf(keyC)]);
      expect(cipher.decrypt(new KeyCipher(keyC).encrypt(CLIENT_KEY, 't'), 't')).toBe(CLIENT_KEY);
    });
  });

  describe('configuration from env', () => {
    it('says clearly that a 16-byte key is the wrong length, without echoing it', () => {
      const short = b64(randomBytes(16));
      let error: Error | undefined;
      try {
        KeyCipher.fromEnv({ env: { TENANT_KEY_ENCRYPTION_KEY: short } });
      } catch (e) {
        error = e as Error;
      }
      expect(error).toBeInstanceOf(KeyConfigError);
      expect(error!.message).toMatch(/TENANT_KEY_ENCRYPTION_KEY decodes to 16 bytes; AES-256 needs exactly 32 bytes/);
      expect(error!.message).not.toContain(short);
    });

    it('rejects text that is not base64', () => {
      expect(() => parseEncryptionKey('not base64 at all!', 'TENANT_KEY_ENCRYPTION_KEY')).toThrow(
        /TENANT_KEY_ENCRYPTION_KEY is not valid base64/,
      );
    });

    it('names the bad entry of the old-keys list', () => {
      expect(() =>
        KeyCipher.fromEnv({
          env: {
            TENANT_KEY_ENCRYPTION_KEY: b64(keyA),
            TENANT_KEY_ENCRYPTION_KEYS_OLD: `${b64(keyB)},${b64(randomBytes(31))}`,
          },
        }),
      ).toThrow(/TENANT_KEY_ENCRYPTION_KEYS_OLD entry 2 decodes to 31 bytes/);
    });

    it('falls back to the DEV_ONLY key outside production, with a warning that does not contain the key', () => {
      const warnings: string[] = [];
      const cipher = KeyCipher.fromEnv({ env: { NODE_ENV: 'development' }, logger: { warn: (m) => warnings.push(m) } });

      expect(cipher.currentKeyId).toBe(keyIdOf(Buffer.from(DEV_ONLY_TENANT_KEY_ENCRYPTION_KEY, 'base64')));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/TENANT_KEY_ENCRYPTION_KEY is not set.*DEV_ONLY/);
      expect(warnings[0]).not.toContain(DEV_ONLY_TENANT_KEY_ENCRYPTION_KEY);
    });

    it('refuses to start in production without a key', () => {
      expect(() => KeyCipher.fromEnv({ env: { NODE_ENV: 'production' } })).toThrow(
        /TENANT_KEY_ENCRYPTION_KEY is not set. In production it is required/,
      );
    });

    it('refuses the DEV_ONLY key in production', () => {
      expect(() =>
        KeyCipher.fromEnv({
          env: { NODE_ENV: 'production', TENANT_KEY_ENCRYPTION_KEY: DEV_ONLY_TENANT_KEY_ENCRYPTION_KEY },
        }),
      ).toThrow(/public DEV_ONLY key/);
    });
  });

  it('fingerprints a client key as a short sha256 prefix that does not reveal it', () => {
    const fp = clientKeyFingerprint(CLIENT_KEY);
    expect(fp).toMatch(/^[0-9a-f]{12}$/);
    expect(clientKeyFingerprint(` ${CLIENT_KEY} `)).toBe(fp);
    expect(clientKeyFingerprint(CLIENT_KEY.replace('6f', '6e'))).not.toBe(fp);
  });
});

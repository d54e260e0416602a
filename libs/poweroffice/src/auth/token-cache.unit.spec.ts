import { inspect } from 'node:util';
import { PermanentError, TransientError } from '@lib/contracts';
import { FakeClock, settle } from '../../test-support/fake-clock';
import { ClientKey } from '../secrets';
import { IssuedToken, TokenCache } from './token-cache';

function harness(expiresInSec = 1200) {
  const clock = new FakeClock(0);
  const issued: string[] = [];
  let fail: Error | undefined;
  let gate: Promise<void> | undefined;
  const requester = async (key: ClientKey): Promise<IssuedToken> => {
    if (gate) await gate;
    if (fail) throw fail;
    const token = `token-${issued.length + 1}-${key.fingerprint.slice(0, 6)}`;
    issued.push(token);
    return { accessToken: token, expiresInSec };
  };
  const cache = new TokenCache<void>(requester, clock);
  return {
    clock,
    cache,
    issued,
    failWith: (e: Error | undefined) => (fail = e),
    hold: () => {
      let release!: () => void;
      gate = new Promise<void>((r) => (release = r));
      return () => {
        gate = undefined;
        release();
      };
    },
  };
}

const keyA = new ClientKey('11111111-aaaa-4aaa-8aaa-000000000001');
const keyB = new ClientKey('22222222-bbbb-4bbb-8bbb-000000000002');

describe('TokenCache', () => {
  it('reuses a token per client key and keeps keys apart', async () => {
    const { cache, issued } = harness();
    const a1 = await cache.get(keyA);
    const a2 = await cache.get(keyA);
    const b1 = await cache.get(keyB);
    expect(a1).toBe(a2);
    expect(b1).not.toBe(a1);
    expect(issued).toHaveLength(2);
  });

  it('renews after 80 % of expires_in, before PowerOffice would reject it', async () => {
    const { cache, clock, issued } = harness(1200);
    const first = await cache.get(keyA);
    await clock.advance(959_000);
    expect(await cache.get(keyA)).toBe(first);
    await clock.advance(2_000);
    const second = await cache.get(keyA);
    expect(second).not.toBe(first);
    expect(issued).toHaveLength(2);
  });

  it('has one renewal in flight per client key, shared by concurrent callers', async () => {
    const { cache, issued, hold } = harness();
    const release = hold();
    const waiting = Array.from({ length: 20 }, () => cache.get(keyA));
    await settle();
    release();
    const tokens = await Promise.all(waiting);
    expect(new Set(tokens).size).toBe(1);
    expect(issued).toHaveLength(1);
  });

  it('after a 401, renews once; callers holding the old token get the new one without another request', async () => {
    const { cache, issued } = harness();
    const old = await cache.get(keyA);
    const renewed = await Promise.all([cache.renewAfterRejection(keyA, old), cache.renewAfterRejection(keyA, old)]);
    expect(renewed[0]).toBe(renewed[1]);
    expect(renewed[0]).not.toBe(old);
    expect(await cache.renewAfterRejection(keyA, old)).toBe(renewed[0]);
    expect(issued).toHaveLength(2);
  });

  it('keeps using a still-valid token when an early renewal fails transiently', async () => {
    const { cache, clock, failWith } = harness(1200);
    const first = await cache.get(keyA);
    await clock.advance(1_000_000); // past 80 %, before expiry
    failWith(new TransientError('PowerOffice unavailable'));
    expect(await cache.get(keyA)).toBe(first);
    await clock.advance(200_000); // now expired
    await expect(cache.get(keyA)).rejects.toBeInstanceOf(TransientError);
  });

  it('drops the token when the key is refused, and on invalidate', async () => {
    const { cache, clock, failWith, issued } = harness(1200);
    await cache.get(keyA);
    await clock.advance(1_000_000);
    failWith(new PermanentError('TENANT_NOT_AUTHORISED', 'key removed'));
    await expect(cache.get(keyA)).rejects.toBeInstanceOf(PermanentError);
    failWith(undefined);
    await cache.get(keyA);
    cache.invalidate(keyA);
    await cache.get(keyA);
    expect(issued).toHaveLength(3);
  });

  it('is keyed by a SHA-256 of the client key, never the key', async () => {
    const { cache } = harness();
    await cache.get(keyA);
    const keys = [...(cache as unknown as { tokens: Map<string, unknown> }).tokens.keys()];
    expect(keys).toEqual([keyA.fingerprint]);
    expect(keys[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(keys[0]).not.toContain(keyA.reveal());
  });
});

describe('ClientKey', () => {
  it('never prints the key', () => {
    const key = new ClientKey('secret-client-key-value');
    const shown = [String(key), JSON.stringify({ key }), inspect({ key }), `${key}`].join(' ');
    expect(shown).not.toContain('secret-client-key-value');
    expect(key.reveal()).toBe('secret-client-key-value');
  });
});

import { IntegrationError } from '@lib/contracts';
import { Clock } from '../clock';
import { ClientKey } from '../secrets';

export interface IssuedToken {
  accessToken: string;
  expiresInSec: number;
}

/** Fetches a new access token for a client key; the caller says for whom (tenant, lane) it asks. */
export type TokenRequester<C> = (clientKey: ClientKey, context: C) => Promise<IssuedToken>;

interface CachedToken {
  accessToken: string;
  /** After this instant the next use renews it. */
  renewAt: number;
  /** After this instant PowerOffice rejects it. */
  expiresAt: number;
}

/** Renew after this share of the lifetime: 16 of PowerOffice's 20 minutes, well before expiry. */
const RENEW_AT_SHARE = 0.8;

/**
 * Access tokens per client key, in memory for this process. Keyed by the SHA-256 of the client key
 * (the key itself is never a map key, so a heap dump or debug print of the cache shows no secret).
 *
 * - A token is renewed on first use after 80 % of its `expires_in`.
 * - One renewal per client key is in flight at a time; concurrent callers share it.
 * - If a renewal fails transiently while the old token is still valid, the old token is used.
 */
export class TokenCache<C> {
  private readonly tokens = new Map<string, CachedToken>();
  private readonly inFlight = new Map<string, Promise<string>>();

  constructor(
    private readonly requestToken: TokenRequester<C>,
    private readonly clock: Clock,
  ) {}

  async get(clientKey: ClientKey, context: C): Promise<string> {
    const cached = this.tokens.get(clientKey.fingerprint);
    if (cached && this.clock.now() < cached.renewAt) return cached.accessToken;
    return this.renewOnce(clientKey, context, cached);
  }

  /**
   * PowerOffice refused `rejected` (401): get a different token. If another caller renewed it in
   * the meantime, that newer token is returned without asking PowerOffice again.
   */
  async renewAfterRejection(clientKey: ClientKey, rejected: string, context: C): Promise<string> {
    const cached = this.tokens.get(clientKey.fingerprint);
    if (cached && cached.accessToken !== rejected && this.clock.now() < cached.renewAt) return cached.accessToken;
    if (cached?.accessToken === rejected) this.tokens.delete(clientKey.fingerprint);
    return this.renewOnce(clientKey, context, undefined);
  }

  /** Forgets the token of a client key (its key was replaced or the tenant removed). */
  invalidate(clientKey: ClientKey): void {
    this.tokens.delete(clientKey.fingerprint);
  }

  private renewOnce(clientKey: ClientKey, context: C, stillValid: CachedToken | undefined): Promise<string> {
    const id = clientKey.fingerprint;
    const running = this.inFlight.get(id);
    if (running) return running;
    const renewal = this.fetchAndStore(clientKey, context, stillValid).finally(() => this.inFlight.delete(id));
    this.inFlight.set(id, renewal);
    return renewal;
  }

  private async fetchAndStore(clientKey: ClientKey, context: C, stillValid: CachedToken | undefined): Promise<string> {
    const requestedAt = this.clock.now();
    try {
      const issued = await this.requestToken(clientKey, context);
      const lifetimeMs = issued.expiresInSec * 1000;
      this.tokens.set(clientKey.fingerprint, {
        accessToken: issued.accessToken,
        // Counted from the request, not the answer: the token's clock started before we got it.
        renewAt: requestedAt + lifetimeMs * RENEW_AT_SHARE,
        expiresAt: requestedAt + lifetimeMs,
      });
      return issued.accessToken;
    } catch (err) {
      const transient = err instanceof IntegrationError && err.retryable;
      if (transient && stillValid && this.clock.now() < stillValid.expiresAt - 5_000) return stillValid.accessToken;
      if (!transient) this.tokens.delete(clientKey.fingerprint);
      throw err;
    }
  }
}

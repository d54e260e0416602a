import { randomBytes } from 'node:crypto';
import { GoClient } from '../domain/go-client';
import { Environment, TokenGrant } from './types';

/**
 * Bearer tokens: opaque random strings mapped to the client they were issued for. Go's are JWTs,
 * but clients must treat them as opaque, so an emulator token that cannot be decoded keeps them
 * honest.
 */
export class TokenStore {
  private readonly grants = new Map<string, TokenGrant>();

  issue(client: GoClient, clientKey: string, environment: Environment, ttlSeconds: number, nowMs: number): TokenGrant {
    if (this.grants.size > 50_000) this.sweep(nowMs);
    const grant: TokenGrant = {
      token: randomBytes(32).toString('base64url'),
      clientKey,
      client,
      environment,
      expiresAtMs: nowMs + ttlSeconds * 1000,
      // A snapshot: privilege changes reach only tokens issued afterwards, as in Go.
      privileges: new Set(client.privileges),
      allowSendInvoice: client.allowSendInvoice,
    };
    this.grants.set(grant.token, grant);
    return grant;
  }

  find(token: string): TokenGrant | undefined {
    return this.grants.get(token);
  }

  revokeFor(client: GoClient): void {
    for (const [token, grant] of this.grants) if (grant.client === client) this.grants.delete(token);
  }

  clear(): void {
    this.grants.clear();
  }

  private sweep(nowMs: number): void {
    for (const [token, grant] of this.grants) if (grant.expiresAtMs <= nowMs) this.grants.delete(token);
  }
}

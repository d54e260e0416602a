import { randomUUID } from 'node:crypto';
import { ClientPreset, GoClient, IdSequence, Services } from './domain/go-client';
import { AUTH_ROLES } from './domain/privileges';
import { parseBusinessDate, Clock } from './domain/time';
import { Faults } from './http/faults';
import { Wire } from './http/dto';
import { SlidingWindowLimiter } from './http/rate-limiter';
import { RequestLog } from './http/request-log';
import { TokenStore } from './http/tokens';
import { ApiDescription } from './openapi/openapi-document';
import { RequestSchemas } from './openapi/request-schemas';

export interface EmulatorConfig {
  applicationKey: string;
  subscriptionKey: string;
  /** Requests per second per subscription key, all clients and token calls together; 0 = unlimited. */
  rateLimit: number;
  tokenTtlSeconds: number;
  /** Read-replica lag for change-filtered lists (ms). */
  listLagMs: number;
  /** How long createAndSendInvoice stays "being processed" in sentState (ms). */
  invoiceProcessingMs: number;
  logRequests: boolean;
}

/** POST /_emulator/clients. */
export interface CreateClientOptions {
  name?: string;
  organizationNumber?: string;
  preset?: ClientPreset;
  privileges?: string[];
  allowSendInvoice?: boolean;
  lockDate?: string | null;
  /** A fixed client key (GUID) for reproducible dev setups; a random one otherwise. */
  clientKey?: string;
}

/** PATCH /_emulator/clients/{clientKey}. */
export interface PatchClientOptions {
  name?: string;
  lockDate?: string | null;
  privileges?: string[];
  allowSendInvoice?: boolean;
  /** The user removed the integration in Go: no new tokens, existing ones stop working. */
  revoked?: boolean;
  /** Invalidate the client's tokens now (e.g. to see new privileges without waiting for expiry). */
  revokeTokens?: boolean;
}

export interface ClientSummary {
  clientKey: string;
  clientId: string;
  name: string;
}

export class AdminError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The emulator's whole state: clients (isolated by client key), tokens, faults, the request log. */
export class Emulator {
  readonly services: Services = { ids: new IdSequence(), clock: new Clock() };
  readonly clients = new Map<string, GoClient>();
  readonly tokens = new TokenStore();
  readonly faults = new Faults();
  readonly log = new RequestLog();
  readonly schemas: RequestSchemas;
  readonly wire: Wire;
  private readonly baseLimiter: SlidingWindowLimiter | null;

  constructor(
    readonly config: EmulatorConfig,
    api: ApiDescription,
  ) {
    this.schemas = new RequestSchemas(api);
    this.wire = new Wire(this.schemas);
    this.baseLimiter = config.rateLimit > 0 ? new SlidingWindowLimiter(config.rateLimit) : null;
  }

  subscriptionLimiter(): SlidingWindowLimiter | null {
    return this.faults.subscriptionLimiter(this.baseLimiter);
  }

  clientByKey(clientKey: string): GoClient | undefined {
    return this.clients.get(clientKey.toLowerCase());
  }

  createClient(options: CreateClientOptions): ClientSummary {
    const clientKey = (options.clientKey ?? randomUUID()).toLowerCase();
    if (!GUID.test(clientKey)) throw new AdminError(400, 'clientKey must be a GUID.');
    if (this.clients.has(clientKey)) throw new AdminError(409, 'A client with that clientKey already exists.');
    const preset = options.preset ?? 'ns4102';
    if (preset !== 'ns4102' && preset !== 'empty') throw new AdminError(400, "preset must be 'ns4102' or 'empty'.");
    const client = new GoClient(this.services, {
      name: options.name ?? `Emulated client ${this.clients.size + 1}`,
      organizationNumber: options.organizationNumber ?? null,
      preset,
      privileges: checkPrivileges(options.privileges) ?? AUTH_ROLES,
      allowSendInvoice: options.allowSendInvoice ?? true,
      lockDate: checkLockDate(options.lockDate),
    });
    this.clients.set(clientKey, client);
    return { clientKey, clientId: client.clientId, name: client.name };
  }

  patchClient(clientKey: string, options: PatchClientOptions): GoClient {
    const client = this.clientByKey(clientKey);
    if (!client) throw new AdminError(404, 'No client with that clientKey.');
    if (options.name !== undefined) client.name = options.name;
    if (options.lockDate !== undefined) client.lockDate = checkLockDate(options.lockDate);
    if (options.privileges !== undefined) client.privileges = new Set(checkPrivileges(options.privileges));
    if (options.allowSendInvoice !== undefined) client.allowSendInvoice = options.allowSendInvoice;
    if (options.revoked !== undefined) client.revoked = options.revoked;
    if (options.revokeTokens || options.revoked) this.tokens.revokeFor(client);
    return client;
  }

  reset(): void {
    this.clients.clear();
    this.tokens.clear();
    this.faults.clear();
    this.log.clear();
  }
}

function checkPrivileges(privileges: string[] | undefined): string[] | undefined {
  if (privileges === undefined) return undefined;
  if (!Array.isArray(privileges) || privileges.some((p) => typeof p !== 'string')) {
    throw new AdminError(400, 'privileges must be an array of auth role names.');
  }
  return privileges;
}

function checkLockDate(lockDate: string | null | undefined): string | null {
  if (lockDate === undefined || lockDate === null) return null;
  const date = typeof lockDate === 'string' ? parseBusinessDate(lockDate) : null;
  if (date === null) throw new AdminError(400, 'lockDate must be YYYY-MM-DD.');
  return date;
}

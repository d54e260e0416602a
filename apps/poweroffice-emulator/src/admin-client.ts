import type { ClientSummary, CreateClientOptions, PatchClientOptions } from './emulator';
import type { FaultSettings, FaultView } from './http/faults';
import type { LoggedRequest, Stats } from './http/request-log';

/** A client as the admin surface shows it (never includes secrets other than the key it was asked by). */
export interface ClientInfo extends ClientSummary {
  organizationNumber: string | null;
  lockDate: string | null;
  privileges: string[];
  allowSendInvoice: boolean;
  revoked: boolean;
}

type Dto = Record<string, unknown>;

/** GET /_emulator/clients/{clientKey}/state: everything in one client as PowerOffice DTOs. */
export interface ClientState {
  clientId: string;
  name: string;
  organizationNumber: string | null;
  lockDate: string | null;
  allowSendInvoice: boolean;
  privileges: string[];
  customers: Dto[];
  products: Dto[];
  productGroups: Dto[];
  departments: Dto[];
  accounts: Dto[];
  vouchers: Dto[];
  salesOrders: Dto[];
  outgoingInvoices: Dto[];
  accountTransactions: Dto[];
}

/** Typed helper over /_emulator/ — works against an in-process emulator or one running elsewhere. */
export interface EmulatorAdmin {
  createClient(options?: CreateClientOptions): Promise<ClientSummary>;
  patchClient(clientKey: string, options: PatchClientOptions): Promise<ClientInfo>;
  setFaults(faults: FaultSettings): Promise<FaultView>;
  clearFaults(): Promise<void>;
  requests(filter?: { since?: string | number; clientKey?: string }): Promise<LoggedRequest[]>;
  stats(): Promise<Stats>;
  reset(): Promise<void>;
  state(clientKey: string): Promise<ClientState>;
}

export function createEmulatorAdmin(baseUrl: string): EmulatorAdmin {
  const root = `${baseUrl.replace(/\/+$/, '')}/_emulator`;
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${root}${path}`, {
      method,
      headers: body === undefined ? undefined : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`emulator admin ${method} ${path} failed: ${res.status} ${text}`);
    return (text === '' ? undefined : JSON.parse(text)) as T;
  };
  return {
    createClient: (options = {}) => call('POST', '/clients', options),
    patchClient: (clientKey, options) => call('PATCH', `/clients/${encodeURIComponent(clientKey)}`, options),
    setFaults: (faults) => call('POST', '/faults', faults),
    clearFaults: () => call('DELETE', '/faults'),
    requests: (filter = {}) => {
      const q = new URLSearchParams();
      if (filter.since !== undefined) q.set('since', String(filter.since));
      if (filter.clientKey !== undefined) q.set('clientKey', filter.clientKey);
      const qs = q.toString();
      return call('GET', `/requests${qs ? `?${qs}` : ''}`);
    },
    stats: () => call('GET', '/stats'),
    reset: () => call('POST', '/reset'),
    state: (clientKey) => call('GET', `/clients/${encodeURIComponent(clientKey)}/state`),
  };
}

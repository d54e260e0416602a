import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { createEmulatorAdmin, EmulatorAdmin } from './admin-client';
import { EMULATOR_DEFAULTS } from './config';
import { Emulator } from './emulator';
import { EmulatorHttp } from './http/server';
import { loadApiDescription, resolveOpenApiFile } from './openapi/openapi-document';

export { EMULATOR_DEFAULTS } from './config';
export type { EmulatorAdmin, ClientInfo, ClientState } from './admin-client';
export { createEmulatorAdmin } from './admin-client';
export type { ClientSummary, CreateClientOptions, PatchClientOptions } from './emulator';
export type { FaultSettings, FaultView } from './http/faults';
export type { LoggedRequest, Stats } from './http/request-log';

export interface StartEmulatorOptions {
  /** 0 (the default here) = a random free port; `main.ts` uses PORT or 4010. */
  port?: number;
  host?: string;
  applicationKey?: string;
  subscriptionKey?: string;
  /** Requests/s per subscription key; 0 = unlimited (benchmarks). Default 10. */
  rateLimit?: number;
  /** Token lifetime; default 1200 s as in Go. Short values let tests see expiry. */
  tokenTtlSeconds?: number;
  /** OpenAPI description; default env POWEROFFICE_OPENAPI_FILE, then ../shared/poweroffice/… from the repo root. */
  openApiFile?: string;
  /** patch-dto-fields-v2.json; default: beside the OpenAPI file. */
  patchFieldsFile?: string;
  /** Read-replica lag for change-filtered lists (ms); default 0. */
  listLagMs?: number;
  /** How long a sent invoice shows IsInvoiceBeingProcessed in sentState (ms); default 0. */
  invoiceProcessingMs?: number;
  /** One console line per API call. */
  logRequests?: boolean;
}

export interface RunningEmulator {
  /** `http://host:port`; the API is at `${baseUrl}/v2` (or `/Demo/v2`), tokens at `${baseUrl}/OAuth/Token`. */
  baseUrl: string;
  port: number;
  applicationKey: string;
  subscriptionKey: string;
  admin: EmulatorAdmin;
  close(): Promise<void>;
}

/** Starts a PowerOffice Go v2 emulator on node:http and resolves once it listens. */
export async function startEmulator(options: StartEmulatorOptions = {}): Promise<RunningEmulator> {
  const api = loadApiDescription(resolveOpenApiFile(options.openApiFile), options.patchFieldsFile);
  const emulator = new Emulator(
    {
      applicationKey: options.applicationKey ?? EMULATOR_DEFAULTS.applicationKey,
      subscriptionKey: options.subscriptionKey ?? EMULATOR_DEFAULTS.subscriptionKey,
      rateLimit: options.rateLimit ?? EMULATOR_DEFAULTS.rateLimit,
      tokenTtlSeconds: options.tokenTtlSeconds ?? EMULATOR_DEFAULTS.tokenTtlSeconds,
      listLagMs: options.listLagMs ?? EMULATOR_DEFAULTS.listLagMs,
      invoiceProcessingMs: options.invoiceProcessingMs ?? EMULATOR_DEFAULTS.invoiceProcessingMs,
      logRequests: options.logRequests ?? false,
    },
    api,
  );
  const http = new EmulatorHttp(emulator);
  const server = createServer({ keepAlive: true }, http.listener);
  // Longer than undici's 4 s client keep-alive, so the client, not the server, closes idle sockets.
  server.keepAliveTimeout = 10_000;
  const host = options.host ?? EMULATOR_DEFAULTS.host;
  await listen(server, options.port ?? 0, host);
  const port = (server.address() as AddressInfo).port;
  const baseUrl = `http://${host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host}:${port}`;
  return {
    baseUrl,
    port,
    applicationKey: emulator.config.applicationKey,
    subscriptionKey: emulator.config.subscriptionKey,
    admin: createEmulatorAdmin(baseUrl),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((e) => (e ? reject(e) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

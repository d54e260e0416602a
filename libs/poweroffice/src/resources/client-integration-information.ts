import { Resource } from './resource';

/** What the integration may do in this client: the first thing to look at after a 403. */
export interface ClientIntegrationInformation {
  clientId?: string | null;
  clientName?: string | null;
  activeClientSubscriptions?: string[] | null;
  validPrivileges?: string[] | null;
  invalidPrivileges?: string[] | null;
  /** Not in the 2025 spec; reported by integrators. */
  allowSendInvoice?: boolean | null;
}

/** `GET /ClientIntegrationInformation` (any valid token). */
export class ClientIntegrationInformationResource extends Resource {
  get(): Promise<ClientIntegrationInformation> {
    return this.getOne<ClientIntegrationInformation>(
      { path: '/ClientIntegrationInformation', subject: 'client integration information' },
      {},
    );
  }
}

import { GoClient, Voucher } from '../domain/go-client';
import { AdminError, CreateClientOptions, Emulator, PatchClientOptions } from '../emulator';
import { FaultSettings } from './faults';
import { Query } from './query';
import { ApiReply } from './types';

/**
 * The emulator's own control surface under /_emulator/ (no auth, not rate limited, not logged):
 * create and change clients, inject faults, read the request log and stats, dump state, reset.
 */
export function handleAdmin(emu: Emulator, method: string, path: string, search: string, rawBody: string): ApiReply {
  try {
    const parts = path
      .split('/')
      .filter((p) => p !== '')
      .slice(1);
    const [resource, id, sub] = [parts[0]?.toLowerCase(), parts[1], parts[2]?.toLowerCase()];
    const body = (): Record<string, unknown> => parseBody(rawBody);
    const now = Date.now();
    switch (`${method} ${resource ?? ''}${id ? ' :id' : ''}${sub ? ` ${sub}` : ''}`) {
      case 'GET health':
        return json(200, { ok: true, clients: emu.clients.size });
      case 'POST clients':
        return json(201, emu.createClient(body() as CreateClientOptions));
      case 'PATCH clients :id':
        return json(200, summary(id!, emu.patchClient(id!, body() as PatchClientOptions)));
      case 'GET clients :id':
        return json(200, summary(id!, client(emu, id!)));
      case 'GET clients :id state':
        return json(200, dumpState(emu, client(emu, id!), now));
      case 'GET faults':
        return json(200, emu.faults.views(now));
      case 'POST faults':
        return json(200, emu.faults.set(checkFaults(body()), now));
      case 'DELETE faults':
        emu.faults.clear();
        return { status: 204 };
      case 'GET requests': {
        const q = new Query(search);
        return json(200, emu.log.query(q.get('since'), q.get('clientKey')));
      }
      case 'GET stats':
        return json(200, emu.log.stats());
      case 'POST reset':
        emu.reset();
        return { status: 204 };
      default:
        return json(404, { error: `No emulator admin endpoint ${method} ${path}.` });
    }
  } catch (e) {
    if (e instanceof AdminError) return json(e.status, { error: e.message });
    throw e;
  }
}

function json(status: number, body: unknown): ApiReply {
  return { status, body };
}

function parseBody(raw: string): Record<string, unknown> {
  if (raw.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new AdminError(400, 'The body is not valid JSON.');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new AdminError(400, 'The body must be a JSON object.');
  return parsed as Record<string, unknown>;
}

function client(emu: Emulator, clientKey: string): GoClient {
  const c = emu.clientByKey(clientKey);
  if (!c) throw new AdminError(404, 'No client with that clientKey.');
  return c;
}

function summary(clientKey: string, c: GoClient): Record<string, unknown> {
  return {
    clientKey: clientKey.toLowerCase(),
    clientId: c.clientId,
    name: c.name,
    organizationNumber: c.organizationNumber,
    lockDate: c.lockDate,
    privileges: [...c.privileges],
    allowSendInvoice: c.allowSendInvoice,
    revoked: c.revoked,
  };
}

function checkFaults(body: Record<string, unknown>): FaultSettings {
  const numbers = ['latencyMs', 'errorRate', 'errorStatus', 'outageMs', 'rateLimit', 'listLagMs'] as const;
  const out: FaultSettings = {};
  for (const k of numbers) {
    const v = body[k];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new AdminError(400, `${k} must be a number.`);
    out[k] = v;
  }
  if (out.errorStatus !== undefined && (out.errorStatus < 400 || out.errorStatus > 599)) {
    throw new AdminError(400, 'errorStatus must be a 4xx or 5xx status.');
  }
  if (body['clientKey'] !== undefined) {
    if (typeof body['clientKey'] !== 'string') throw new AdminError(400, 'clientKey must be a string.');
    out.clientKey = body['clientKey'];
  }
  return out;
}

/** Everything in one client, as PowerOffice DTOs, for test assertions. */
function dumpState(emu: Emulator, c: GoClient, nowMs: number): Record<string, unknown> {
  const w = emu.wire;
  const voucher = (v: Voucher): Record<string, unknown> => {
    const dto =
      v.origin === 'CashJournals'
        ? w.journalVoucher(v, 'CashVoucherDto')
        : v.origin === 'ManualJournals'
          ? w.journalVoucher(v, 'ManualVoucherDto')
          : v.origin === 'OutgoingInvoiceJournals'
            ? w.outgoingInvoiceVoucher(v)
            : { Id: v.id, VoucherNo: v.voucherNo, VoucherDate: v.voucherDate, IsReversed: v.isReversed };
    return {
      ...dto,
      VoucherType: v.type,
      ReversalOfVoucherId: v.reversalOfVoucherId,
      ReversedByVoucherId: v.reversedByVoucherId,
    };
  };
  return {
    clientId: c.clientId,
    name: c.name,
    organizationNumber: c.organizationNumber,
    lockDate: c.lockDate,
    allowSendInvoice: c.allowSendInvoice,
    privileges: [...c.privileges],
    customers: [...c.customers.values()].map((x) => w.customer(c, x)),
    products: [...c.products.values()].map((x) => w.product(c, x)),
    productGroups: [...c.productGroups.values()].map((x) => w.productGroup(c, x)),
    departments: [...c.departments.values()].map((x) => w.department(x)),
    accounts: [...c.accounts.values()].map((x) => w.account(c, x)),
    vouchers: [...c.vouchers.values()].map(voucher),
    salesOrders: [...c.salesOrders.values()].map((o) => ({ ...w.salesOrder(c, o), SentState: w.sentState(o, nowMs) })),
    outgoingInvoices: [...c.invoices.values()].map((i) => w.outgoingInvoice(c, i)),
    accountTransactions: c.ledger.map((e) => w.transaction(c, e)),
  };
}

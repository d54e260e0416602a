import { setTimeout as sleep } from 'node:timers/promises';
import { PermanentError, TransientError } from '@lib/contracts';
import { InvoiceSentState, PowerOfficeRejectedError } from '@lib/poweroffice';
import type { AccountMapping } from '@lib/tenancy';
import { buildSalesOrder, productGaps, salesOrderDifferences, sendRequest } from './domain/sales-order';
import { InvoiceAccounts } from './invoice-accounts';
import { InvoiceRepository } from './invoice.repository';
import type { Transfer, TransferJob } from './transfer-job';

/** Waits between looks at a sending invoice (PowerOffice's advice: back off 1 s, 4 s, 10 s). */
const SENT_STATE_BACKOFF_MS = [0, 1000, 4000, 10_000];
const CHECK_AGAIN_LATER_MS = 10_000;
const DUPLICATE_ORDER = /already in use.*?Id = ([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/is;

export interface SalesOrderSettings {
  /** INVOICE_SEND_FROM_POWEROFFICE: PowerOffice issues and sends the invoice right away. */
  send: boolean;
}

/**
 * Sales-order mode: PowerOffice issues the invoice. The invoice becomes a sales order on the
 * article-sync products (`POST /SalesOrders/Complete`); PowerOffice's computed order is compared with
 * the POS invoice before anything is sent; optionally PowerOffice then creates and sends the invoice
 * and the flow follows its sent state to report the invoice number.
 */
export class SalesOrderTransfer {
  constructor(
    private readonly invoices: InvoiceRepository,
    private readonly accounts: InvoiceAccounts,
    private readonly settings: SalesOrderSettings,
  ) {}

  async transfer(job: TransferJob, mapping: AccountMapping): Promise<Transfer> {
    const { ctx, invoice, key, decision } = job;
    const gaps = productGaps(invoice);
    if (gaps.length > 0) {
      throw new PermanentError(
        'MAPPING_MISSING',
        `Invoice ${invoice.invoiceNumber} of tenant ${key.tenantId} cannot become a PowerOffice sales order: ` +
          `${gaps.map((g) => g.problem).join('; ')}. Sell it through an article, or use voucher mode for this tenant.`,
        { details: gaps.map((g) => ({ ...g, account: null })) },
      );
    }
    const departmentCode = await this.accounts.departmentCode(key.tenantId, invoice, mapping);
    // A draft PowerOffice computed differently from the till is never sent from here (it cannot be
    // read back to see whether someone corrected it). Any other earlier rejection is retried on the
    // existing order: its sent state tells whether it went out meanwhile.
    if (decision.salesOrderId && decision.salesOrderRejectedFor === 'IDENTITY_MISMATCH') {
      throw new PermanentError(
        'IDENTITY_MISMATCH',
        `Invoice ${invoice.invoiceNumber} of tenant ${key.tenantId} already has sales order ${decision.salesOrderId} in PowerOffice from an ` +
          'earlier attempt, which PowerOffice computed differently from the POS. It is not sent from here: correct or delete that ' +
          'sales order in PowerOffice Go.',
        { details: { salesOrderId: decision.salesOrderId, earlierError: decision.salesOrderRejectedFor } },
      );
    }
    const customer = await job.customer();
    const done = (salesOrderId: string | null, invoiceNo: number | null, created: boolean): Transfer => ({
      customerNumber: customer.number,
      poVoucherId: null,
      poSalesOrderId: salesOrderId,
      poInvoiceNo: invoiceNo,
      created,
    });

    let salesOrderId = decision.salesOrderId;
    let created = false;
    if (!salesOrderId) {
      const order = buildSalesOrder(invoice, {
        factor: job.factor,
        customerId: customer.id,
        departmentCode,
        importReference: job.importReference,
      });
      if (ctx.mode === 'dry-run') return { ...done(null, null, true), wouldSend: order };
      await this.invoices.markAttempting(key, customer.number);
      try {
        const answer = await ctx.powerOffice.salesOrders.complete(order);
        salesOrderId = answer.id;
        created = true;
        await this.invoices.recordSalesOrder(key.tenantId, key.invoiceId, answer.id);
        const differences = salesOrderDifferences(invoice, job.factor, answer);
        if (differences.length > 0) {
          throw new PermanentError(
            'IDENTITY_MISMATCH',
            `PowerOffice computes invoice ${invoice.invoiceNumber} of tenant ${key.tenantId} differently from the POS: ${differences.join('; ')}. ` +
              `Sales order ${answer.salesOrderNo ?? answer.id} stays a draft in PowerOffice and was not sent; fix the products' sales ` +
              'accounts (or the invoice), then correct or delete the draft in PowerOffice Go.',
            { details: { salesOrderId: answer.id, salesOrderNo: answer.salesOrderNo ?? null, differences } },
          );
        }
      } catch (err) {
        const earlier =
          err instanceof PowerOfficeRejectedError
            ? DUPLICATE_ORDER.exec(`${err.powerOffice.detail ?? ''}`)?.[1]
            : undefined;
        if (!earlier) throw err;
        // An earlier attempt created it and its answer was lost: continue with that order.
        ctx.log.info('sales order already in PowerOffice; continuing with it', {
          invoiceNumber: invoice.invoiceNumber,
          salesOrderId: earlier,
        });
        salesOrderId = earlier;
        await this.invoices.recordSalesOrder(key.tenantId, key.invoiceId, earlier);
      }
    }
    if (!this.settings.send) return done(salesOrderId, null, created);
    const sent = await this.sendAndFollow(job, salesOrderId);
    if (sent.wouldSend) return { ...done(salesOrderId, null, true), wouldSend: sent.wouldSend };
    return done(salesOrderId, sent.invoiceNo, created || sent.sentNow);
  }

  /** Has PowerOffice issue and send the invoice (unless it already did) and waits until it is sent. */
  private async sendAndFollow(
    job: TransferJob,
    salesOrderId: string,
  ): Promise<{ invoiceNo: number | null; sentNow: boolean; wouldSend?: unknown }> {
    const { ctx, invoice } = job;
    const po = ctx.powerOffice.salesOrders;
    const before = await po.sentState(salesOrderId);
    const sentNow = !isDispatched(before);
    if (sentNow) {
      if (ctx.mode === 'dry-run')
        return {
          invoiceNo: null,
          sentNow: false,
          wouldSend: { createAndSendInvoice: salesOrderId, ...sendRequest(invoice) },
        };
      await po.createAndSendInvoice(salesOrderId, sendRequest(invoice));
    }
    for (const waitMs of SENT_STATE_BACKOFF_MS) {
      await pause(waitMs, job);
      const state = await po.sentState(salesOrderId);
      if (state?.sentDateTimeOffset) return { invoiceNo: state.invoiceNo ?? null, sentNow };
      if (state?.lastErrorMessage) {
        throw new PermanentError(
          'POWEROFFICE_REJECTED',
          `PowerOffice issued invoice ${state.invoiceNo ?? '(no number)'} from sales order ${salesOrderId} for POS invoice ` +
            `${invoice.invoiceNumber} of tenant ${job.key.tenantId}, but could not send it: ${state.lastErrorMessage} ` +
            'The invoice is posted in PowerOffice; send it from PowerOffice Go after fixing that.',
          { details: { salesOrderId, invoiceNo: state.invoiceNo ?? null, lastErrorMessage: state.lastErrorMessage } },
        );
      }
    }
    throw new TransientError(
      `PowerOffice is still sending the invoice of sales order ${salesOrderId} (POS invoice ${invoice.invoiceNumber}); checking again later.`,
      { retryAfterMs: CHECK_AGAIN_LATER_MS },
    );
  }
}

function isDispatched(state: InvoiceSentState | undefined): boolean {
  return !!state && (!!state.sentDateTimeOffset || !!state.lastErrorMessage || state.isInvoiceBeingProcessed === true);
}

/** A wait that keeps the consumer in its group and gives up when the work is abandoned. */
async function pause(ms: number, job: TransferJob): Promise<void> {
  const until = Date.now() + ms;
  for (let left = ms; left > 0; left = until - Date.now()) {
    if (job.ctx.signal.aborted)
      throw new TransientError(
        'Stopped while waiting for PowerOffice to send the invoice; it is checked again after the restart.',
      );
    await sleep(Math.min(left, 1000));
    await job.ctx.heartbeat();
  }
}

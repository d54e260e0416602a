import { InvoicePosted, isIntegrationError, PermanentError } from '@lib/contracts';
import type { HandlerContext, HandlerResult } from '@lib/pipeline';
import { CustomerLookup, InvoiceCustomer } from './customer-lookup';
import { identityProblems } from './domain/invoice-identities';
import { invoiceContentHash, invoiceImportReference } from './domain/invoice-reference';
import { postingDirection } from './domain/posting-direction';
import { decideTransfer, PriorTransfer } from './domain/transfer-decision';
import { InvoiceAccounts } from './invoice-accounts';
import { InvoiceKey, InvoiceRepository } from './invoice.repository';
import { SalesOrderTransfer } from './sales-order-transfer';
import type { Transfer, TransferJob } from './transfer-job';
import { VoucherTransfer } from './voucher-transfer';

export interface InvoiceTransferSettings {
  /** INVOICE_CUSTOMER_WAIT_MS. */
  customerWaitMs: number;
  /** The pipeline's attempt budget per delivery (the last attempt never waits for a customer). */
  maxAttempts: number;
}

/**
 * InvoicePosted → PowerOffice, the flow's one use case: check the invoice adds up, decide from what
 * is remembered about its number whether it is new, then hand it to the tenant's invoice mode
 * (voucher or sales order). Every permanent failure is remembered for the status view and thrown for
 * the pipeline to answer with InvoiceRejected at once.
 */
export class InvoiceTransfer {
  constructor(
    private readonly invoices: InvoiceRepository,
    private readonly customers: CustomerLookup,
    private readonly accounts: InvoiceAccounts,
    private readonly vouchers: VoucherTransfer,
    private readonly salesOrders: SalesOrderTransfer,
    private readonly settings: InvoiceTransferSettings,
  ) {}

  async handle(ctx: HandlerContext<InvoicePosted>): Promise<HandlerResult> {
    const invoice = ctx.envelope.data;
    const key: InvoiceKey = {
      tenantId: ctx.tenant.id,
      invoiceId: invoice.invoiceId,
      invoiceNumber: invoice.invoiceNumber,
      kind: invoice.kind,
      contentHash: invoiceContentHash(invoice),
      eventId: ctx.envelope.id,
      mode: ctx.tenant.invoiceMode,
    };
    const found: { customer?: InvoiceCustomer } = {};
    try {
      return await this.transfer(ctx, invoice, key, found);
    } catch (err) {
      if (ctx.mode !== 'dry-run' && isIntegrationError(err))
        await this.remember(ctx, key, err, found.customer?.number ?? null);
      throw err;
    }
  }

  private async transfer(
    ctx: HandlerContext<InvoicePosted>,
    invoice: InvoicePosted,
    key: InvoiceKey,
    found: { customer?: InvoiceCustomer },
  ): Promise<HandlerResult> {
    const problems = identityProblems(invoice);
    if (problems.length > 0) {
      throw new PermanentError(
        'IDENTITY_MISMATCH',
        `Invoice ${invoice.invoiceNumber} of tenant ${key.tenantId} does not add up, so nothing was sent to PowerOffice: ` +
          `${problems.map((p) => p.message).join('; ')}. Correct it in the POS and send it again.`,
        { details: problems },
      );
    }
    const direction = postingDirection(invoice);
    if ('problem' in direction) {
      throw new PermanentError(
        'INVALID_EVENT',
        `Tenant ${key.tenantId}: ${direction.problem}. Nothing was sent to PowerOffice.`,
        {
          details: [{ field: 'totals.gross', problem: direction.problem }],
        },
      );
    }

    const prior = await this.invoices.prior(key.tenantId, key.invoiceId, key.invoiceNumber);
    const decision = decideTransfer(prior, key, ctx.mode !== 'live');
    if (decision.kind === 'conflict') {
      throw new PermanentError(
        'INVALID_EVENT',
        `Invoice ${invoice.invoiceNumber} of tenant ${key.tenantId} was not sent to PowerOffice: ${decision.reason}.`,
        {
          details: [{ field: 'invoiceNumber', problem: decision.reason }],
        },
      );
    }
    if (decision.kind === 'answered') return answered(invoice, decision.prior);

    const mapping = await this.accounts.mapping(key.tenantId, invoice.invoiceNumber);
    const job: TransferJob = {
      ctx,
      invoice,
      key,
      factor: direction.factor,
      decision,
      importReference: invoiceImportReference(key.tenantId, invoice.invoiceNumber),
      customer: async () =>
        (found.customer = await this.customers.find({
          tenantId: key.tenantId,
          invoiceNumber: invoice.invoiceNumber,
          customer: invoice.customer,
          eventTime: ctx.envelope.time,
          attempt: ctx.attempt,
          maxAttempts: this.settings.maxAttempts,
          waitMs: this.settings.customerWaitMs,
          powerOffice: ctx.powerOffice,
        })),
    };
    const transfer =
      key.mode === 'salesOrder'
        ? await this.salesOrders.transfer(job, mapping)
        : await this.vouchers.transfer(job, mapping);
    if (ctx.mode !== 'dry-run') {
      ctx.log.info(transfer.created ? 'invoice transferred' : 'invoice found in PowerOffice', {
        invoiceNumber: invoice.invoiceNumber,
        mode: key.mode,
        voucherId: transfer.poVoucherId,
        salesOrderId: transfer.poSalesOrderId,
        powerOfficeInvoiceNo: transfer.poInvoiceNo,
      });
    }
    return {
      outcomes: [transferred(invoice, transfer)],
      persist: (tx) =>
        this.invoices.recordTransferred(tx, key, {
          poVoucherId: transfer.poVoucherId,
          poSalesOrderId: transfer.poSalesOrderId,
          poInvoiceNo: transfer.poInvoiceNo === null ? null : String(transfer.poInvoiceNo),
          customerNumber: transfer.customerNumber,
        }),
      changed: transfer.created,
      change:
        transfer.wouldSend ??
        (transfer.created
          ? { created: key.mode === 'salesOrder' ? 'salesOrder' : 'outgoingInvoiceVoucher' }
          : undefined),
    };
  }

  /** For the status view. Never hides the failure being reported. */
  private async remember(
    ctx: HandlerContext<InvoicePosted>,
    key: InvoiceKey,
    err: { code: string; message: string; retryable: boolean },
    customerNumber: number | null,
  ) {
    try {
      if (err.retryable) await this.invoices.recordRetryableError(key.tenantId, key.invoiceId, err);
      else await this.invoices.recordRejection(key, err, customerNumber);
    } catch (recordError) {
      ctx.log.warn('could not record the failure in invoice.invoices', { reason: (recordError as Error).message });
    }
  }
}

/** PowerOffice's invoice number rides along (an additive field) once PowerOffice issued the invoice. */
type InvoiceRefWithNumber = { voucherId?: string; salesOrderId?: string; customerNumber: number; invoiceNo?: number };

function transferred(invoice: InvoicePosted, t: Transfer): HandlerResult['outcomes'][number] {
  const powerOffice: InvoiceRefWithNumber = { customerNumber: t.customerNumber };
  if (t.poVoucherId) powerOffice.voucherId = t.poVoucherId;
  if (t.poSalesOrderId) powerOffice.salesOrderId = t.poSalesOrderId;
  if (t.poInvoiceNo !== null) powerOffice.invoiceNo = t.poInvoiceNo;
  return {
    type: 'InvoiceTransferred',
    data: { invoiceId: invoice.invoiceId, invoiceNumber: invoice.invoiceNumber, powerOffice },
  };
}

/** A resend of an invoice already in PowerOffice: the same answer, nothing changed. */
function answered(invoice: InvoicePosted, prior: PriorTransfer): HandlerResult {
  return {
    outcomes: [
      transferred(invoice, {
        customerNumber: prior.customerNumber ?? 0,
        poVoucherId: prior.poVoucherId,
        poSalesOrderId: prior.poSalesOrderId,
        poInvoiceNo: prior.poInvoiceNo === null ? null : Number(prior.poInvoiceNo),
        created: false,
      }),
    ],
    changed: false,
  };
}

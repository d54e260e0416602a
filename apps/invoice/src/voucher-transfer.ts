import { PermanentError } from '@lib/contracts';
import { OutgoingInvoice, OutgoingInvoiceFilter, PowerOfficeRejectedError } from '@lib/poweroffice';
import type { AccountMapping } from '@lib/tenancy';
import { shiftDate } from './domain/business-date';
import { nok } from './domain/money';
import { buildOutgoingInvoiceVoucher } from './domain/outgoing-invoice-voucher';
import { InvoiceAccounts } from './invoice-accounts';
import { InvoiceRepository } from './invoice.repository';
import type { Transfer, TransferJob } from './transfer-job';

/** How far around the invoice date a lookup searches (the voucher is dated the invoice date). */
const LOOKUP_DAYS = 3;
const DUPLICATE = /already in use/i;

/**
 * Voucher mode: the POS issued the invoice, PowerOffice records it as an outgoing-invoice voucher
 * (`POST /Vouchers/OutgoingInvoiceJournals`) on the customer's ledger and the mapped sales accounts.
 */
export class VoucherTransfer {
  constructor(
    private readonly invoices: InvoiceRepository,
    private readonly accounts: InvoiceAccounts,
  ) {}

  async transfer(job: TransferJob, mapping: AccountMapping): Promise<Transfer> {
    const { ctx, invoice, key } = job;
    const targets = await this.accounts.voucherTargets(key.tenantId, invoice, mapping);
    const customer = await job.customer();
    const done = (voucherId: string | null, created: boolean): Transfer => ({
      customerNumber: customer.number,
      poVoucherId: voucherId,
      poSalesOrderId: null,
      poInvoiceNo: null,
      created,
    });

    if (job.decision.lookUpFirst) {
      const existing = await this.existing(job);
      if (existing) return done(existing.id, false);
    }
    const voucher = buildOutgoingInvoiceVoucher(invoice, {
      factor: job.factor,
      customerAccountId: customer.subledgerAccountId,
      departmentId: targets.departmentId,
      importReference: job.importReference,
      sales: targets.sales,
    });
    if (ctx.mode === 'dry-run') return { ...done(null, true), wouldSend: voucher };

    await this.invoices.markAttempting(key, customer.number);
    try {
      const posted = await ctx.powerOffice.outgoingInvoiceJournals.create(voucher);
      return done(posted.id, true);
    } catch (err) {
      // A create whose answer was lost, racing this one: PowerOffice refuses the second copy by its
      // invoice number / reference, and the first one is the answer.
      if (
        err instanceof PowerOfficeRejectedError &&
        DUPLICATE.test(`${err.powerOffice.title ?? ''} ${err.powerOffice.detail ?? ''}`)
      ) {
        const existing = await this.existing(job);
        if (existing) return done(existing.id, false);
      }
      throw err;
    }
  }

  /**
   * This invoice as PowerOffice already has it (not reversed), found by invoice number within a few
   * days of the invoice date; refuses one whose total differs, since that is another document.
   */
  private async existing(job: TransferJob): Promise<OutgoingInvoice | undefined> {
    const { invoice, ctx } = job;
    const filter: OutgoingInvoiceFilter = {
      fromDate: shiftDate(invoice.invoiceDate, -LOOKUP_DAYS),
      toDate: shiftDate(invoice.invoiceDate, LOOKUP_DAYS),
    };
    // InvoiceNo is an integer filter in PowerOffice; other numbers are found by our reference.
    if (/^\d{1,15}$/.test(invoice.invoiceNumber)) filter.invoiceNos = [invoice.invoiceNumber];
    const found = (await ctx.powerOffice.outgoingInvoices.listAll(filter)).find(
      (i) =>
        !i.isReversed &&
        (i.externalImportReference === job.importReference ||
          (i.invoiceNo != null && String(i.invoiceNo) === invoice.invoiceNumber)),
    );
    if (!found) return undefined;
    const expected = job.factor * invoice.totals.gross;
    if (found.totalAmount !== expected) {
      throw new PermanentError(
        'IDENTITY_MISMATCH',
        `PowerOffice already has invoice ${invoice.invoiceNumber} of tenant ${job.key.tenantId} (voucher ${found.id}, VoucherNo ${found.voucherNo}) ` +
          `with total ${nok(found.totalAmount)}, but this invoice's total is ${nok(expected)}. It is another document with the same number: ` +
          'reverse the one in PowerOffice or give this invoice a new number.',
        {
          details: {
            voucherId: found.id,
            voucherNo: found.voucherNo,
            powerOfficeTotal: found.totalAmount,
            invoiceTotal: expected,
          },
        },
      );
    }
    ctx.log.info('invoice already in PowerOffice; not posted again', {
      invoiceNumber: invoice.invoiceNumber,
      voucherId: found.id,
    });
    return found;
  }
}

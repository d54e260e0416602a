import { Ore } from '../money';
import { WireShape } from '../wire/codec';
import { Accrual, UnitOfMeasureCode, VatReturnSpecification } from './enums';
import { Resource } from './resource';

/** Dimensions a voucher line may carry (ids; `-1` is not used on voucher lines). */
export interface LineDimensions {
  departmentId?: number | null;
  projectId?: number | null;
  locationId?: number | null;
  dim1Id?: number | null;
  dim2Id?: number | null;
  dim3Id?: number | null;
}

/** CashVoucherLinePostDto. Amounts are gross (VAT included) and signed: debit +, credit −. */
export interface NewCashVoucherLine extends LineDimensions {
  /** GL account id, or a customer's/supplier's sub-ledger account id. */
  accountId: number;
  /** `YYYY-MM-DD`; also the currency-rate date. */
  postingDate: string;
  /** VatCode.id (the id, not the SAF-T code); the id of code "0" on payment lines. */
  vatId: number;
  /** Gross, signed, never 0 — øre. */
  currencyAmount: Ore;
  currencyCode?: string | null;
  currencyExchangeRate?: number | null;
  description?: string | null;
  productId?: number | null;
  quantity?: number | null;
  quantity2?: number | null;
  /** Auto-matches sub-ledger entries with the opposite amount. */
  customMatchingReference?: string | null;
  externalLineReference?: string | null;
  vatReturnSpecification?: VatReturnSpecification | null;
}

/** CashVoucherPostDto: a balanced voucher posted straight to the ledger (a day's settlement). */
export interface NewCashVoucher {
  voucherDate: string;
  currencyCode: string;
  description?: string | null;
  /** Unique per client: the duplicate check that makes a retried post safe. */
  externalImportReference?: string | null;
  /** e.g. the Z-report number. */
  importedVoucherNo?: number | null;
  saftBatchId?: string | null;
  saftSourceId?: string | null;
  voucherLines: NewCashVoucherLine[];
}

export interface CashVoucherLine extends NewCashVoucherLine {
  id: number;
  createdDateTimeOffset?: string;
}

/** CashVoucherDto. */
export interface CashVoucher extends Omit<NewCashVoucher, 'voucherLines'> {
  id: string;
  voucherNo: number;
  isReversed?: boolean | null;
  createdDateTimeOffset?: string;
  voucherLines?: CashVoucherLine[] | null;
}

const CASH_VOUCHER_SHAPE: WireShape = { nested: { voucherLines: { money: ['currencyAmount'] } } };

/** `/Vouchers/CashJournals` (CashVoucher_Full). */
export class CashJournals extends Resource {
  /** 201 → the posted voucher with `id` and `voucherNo`. */
  create(voucher: NewCashVoucher): Promise<CashVoucher> {
    return this.post<CashVoucher>(
      {
        path: '/Vouchers/CashJournals',
        subject: `cash-journal voucher ${voucher.externalImportReference ?? voucher.voucherDate}`,
        role: 'CashVoucher_Full',
      },
      voucher,
      CASH_VOUCHER_SHAPE,
    );
  }

  /** Only vouchers this integration created can be read back. */
  get(id: string): Promise<CashVoucher> {
    return this.getOne<CashVoucher>(
      {
        path: '/Vouchers/CashJournals/{id}',
        params: { id },
        subject: `cash-journal voucher ${id}`,
        role: 'CashVoucher_Full',
      },
      CASH_VOUCHER_SHAPE,
    );
  }
}

/** OutgoingInvoiceVoucherLineDto. Gross amounts: positive on an invoice, negative on a credit note; they sum to the header total. */
export interface OutgoingInvoiceVoucherLine extends LineDimensions {
  accountId: number;
  vatId: number;
  currencyAmount: Ore;
  description?: string | null;
  productId?: number | null;
  quantity?: number | null;
  quantityOrdered?: number | null;
  unitOfMeasureType?: UnitOfMeasureCode | null;
  accrual?: Omit<Accrual, 'resultAccountId' | 'resultAccountNo'> | null;
  vatReturnSpecification?: VatReturnSpecification | null;
}

/** OutgoingInvoiceVoucherDto: an invoice the POS already issued, posted to the customer's ledger. */
export interface NewOutgoingInvoiceVoucher extends LineDimensions {
  /** Required, unique per client. */
  invoiceNo: string;
  /** The customer's sub-ledger account id (Customer.subledgerAccountId). */
  customerAccountId: number;
  voucherDate: string;
  dueDate?: string | null;
  /** KID (≤ 25). */
  cid?: string | null;
  currencyCode?: string | null;
  /** Invoice total incl. VAT, øre. */
  currencyAmount: Ore;
  currencyExchangeRate?: number | null;
  description?: string | null;
  customerReference?: string | null;
  purchaseOrderReference?: string | null;
  contractNo?: string | null;
  deliveryDate?: string | null;
  deliveryAddress1?: string | null;
  deliveryAddress2?: string | null;
  deliveryAddressZipCode?: string | null;
  deliveryAddressCity?: string | null;
  deliveryAddressCountryCode?: string | null;
  deliveryTermId?: number | null;
  importedOrderNo?: number | null;
  importedVoucherNo?: number | null;
  externalImportReference?: string | null;
  customMatchingReference?: string | null;
  saftSourceId?: string | null;
  salesPersonEmployeeId?: number | null;
  outgoingInvoiceLines: OutgoingInvoiceVoucherLine[];
}

export interface OutgoingInvoiceVoucher extends NewOutgoingInvoiceVoucher {
  id: string;
  voucherNo?: number | null;
  isReversed?: boolean | null;
  createdDateTimeOffset?: string;
}

const OUTGOING_INVOICE_VOUCHER_SHAPE: WireShape = {
  money: ['currencyAmount'],
  nested: { outgoingInvoiceLines: { money: ['currencyAmount'] } },
};

/**
 * `/Vouchers/OutgoingInvoiceJournals` (OutgoingInvoiceVoucher_Full). The POST is not in the public
 * spec (granted on request by PowerOffice); path and body follow OutgoingInvoiceVoucherDto.
 */
export class OutgoingInvoiceJournals extends Resource {
  create(voucher: NewOutgoingInvoiceVoucher): Promise<OutgoingInvoiceVoucher> {
    return this.post<OutgoingInvoiceVoucher>(
      {
        path: '/Vouchers/OutgoingInvoiceJournals',
        subject: `outgoing invoice ${voucher.invoiceNo}`,
        role: 'OutgoingInvoiceVoucher_Full',
      },
      voucher,
      OUTGOING_INVOICE_VOUCHER_SHAPE,
    );
  }

  get(id: string): Promise<OutgoingInvoiceVoucher> {
    return this.getOne<OutgoingInvoiceVoucher>(
      {
        path: '/Vouchers/OutgoingInvoiceJournals/{id}',
        params: { id },
        subject: `outgoing invoice voucher ${id}`,
        role: 'OutgoingInvoiceVoucher_Full',
      },
      OUTGOING_INVOICE_VOUCHER_SHAPE,
    );
  }
}

/** Voucher operations that are not per journal type. */
export class Vouchers extends Resource {
  /**
   * `POST /Vouchers/Reverse/{id}` (202/200): PowerOffice posts an opposite voucher and frees the
   * ExternalImportReference (and invoice number) for reuse. Only vouchers this integration created.
   */
  async reverse(voucherId: string): Promise<void> {
    await this.session.send({
      method: 'POST',
      path: '/Vouchers/Reverse/{id}',
      params: { id: voucherId },
      subject: `voucher ${voucherId}`,
      role: 'YearEndVoucher_Full',
    });
  }
}

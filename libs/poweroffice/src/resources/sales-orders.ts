import { Ore } from '../money';
import { fromWire, toWire, WireShape } from '../wire/codec';
import {
  Accrual,
  InvoiceDeliveryType,
  OrderStatus,
  SendInvoiceDeliveryType,
  UnitOfMeasureCode,
  VatReturnSpecification,
  VoucherLineType,
} from './enums';
import { Resource } from './resource';

/** Header and line dimensions of a sales order, by id or code (id wins; `-1` = none). */
export interface OrderDimensions {
  departmentId?: number | null;
  departmentCode?: string | null;
  projectId?: number | null;
  projectCode?: string | null;
  locationId?: number | null;
  locationCode?: string | null;
  dim1Id?: number | null;
  dim1Code?: string | null;
  dim2Id?: number | null;
  dim2Code?: string | null;
  dim3Id?: number | null;
  dim3Code?: string | null;
}

/** SalesOrderLinePostDto. There is no VAT field: VAT follows the product's sales account. */
export interface NewSalesOrderLine extends OrderDimensions {
  lineType?: VoucherLineType | null;
  productId?: number | null;
  productCode?: string | null;
  /** Required with a product; negative = credit. */
  quantity?: number | null;
  /** Excl. VAT, øre; defaults to the product's price. */
  productUnitPrice?: Ore | null;
  productUnitCost?: Ore | null;
  /** Discount in percent. */
  allowance?: number | null;
  description?: string | null;
  unitOfMeasureCode?: UnitOfMeasureCode | null;
  useStandardSalesAccount?: boolean | null;
  sortOrder?: number | null;
  externalImportReference?: string | null;
  sellersReferenceEmployeeId?: number | null;
  accrual?: Accrual | null;
  vatReturnSpecification?: VatReturnSpecification | null;
}

/** SalesOrderCompletePostDto: an invoice draft with its lines, in one call. */
export interface NewSalesOrder extends OrderDimensions {
  customerId?: number | null;
  customerNo?: number | null;
  salesOrderDate?: string | null;
  deliveryDate?: string | null;
  currencyCode?: string | null;
  currencyExchangeRate?: number | null;
  paymentTermId?: number | null;
  paymentTerm?: number | null;
  customerReference?: string | null;
  purchaseOrderReference?: string | null;
  contractNo?: string | null;
  /** Duplicate check per object type: the idempotency key of the create. */
  externalImportReference?: string | null;
  importedOrderNo?: number | null;
  customMatchingReference?: string | null;
  salesOrderStatus?: OrderStatus | null;
  /** For credit-note drafts: the invoice credited. */
  relatedInvoiceNo?: number | null;
  salesPersonEmployeeId?: number | null;
  brandingThemeId?: number | null;
  salesOrderLines: NewSalesOrderLine[];
}

export interface SalesOrderLine extends NewSalesOrderLine {
  id: string;
  salesOrderId?: string | null;
  vatCode?: string | null;
  vatId?: number | null;
  vatRate?: number | null;
  vatAmount?: Ore;
  netAmount?: Ore;
  totalAmount?: Ore;
}

/** SalesOrderCompleteDto. */
export interface SalesOrder extends Omit<NewSalesOrder, 'salesOrderLines'> {
  id: string;
  salesOrderNo?: number | null;
  netAmount?: Ore;
  totalAmount?: Ore;
  lineCount?: number;
  isCreatedByCurrentIntegration?: boolean | null;
  createdDateTimeOffset?: string;
  lastChangedDateTimeOffset?: string;
  salesOrderLines?: SalesOrderLine[] | null;
}

/** SendInvoiceRequestPostDto. */
export interface SendInvoiceRequest {
  deliveryType?: SendInvoiceDeliveryType;
  emailAddress?: string | null;
  /** The invoice date; today when left out. */
  voucherDate?: string | null;
  overrideDueDate?: string | null;
}

/** SendInvoiceRequestDto (202), plus the status URL PowerOffice points to. */
export interface SendInvoiceReceipt extends SendInvoiceRequest {
  id?: string;
  /** The `Location` header: where the sent state can be polled. */
  location?: string;
}

/** InvoiceSentStateDto: sent once `sentDateTimeOffset` is set; failed when `lastErrorMessage` is. */
export interface InvoiceSentState {
  id: string;
  invoiceNo?: number | null;
  dueDate?: string | null;
  invoiceDeliveryType?: InvoiceDeliveryType | null;
  isInvoiceBeingProcessed?: boolean | null;
  sentDateTimeOffset?: string | null;
  lastErrorMessage?: string | null;
}

const LINE_SHAPE: WireShape = {
  money: ['productUnitPrice', 'productUnitCost', 'netAmount', 'totalAmount', 'vatAmount'],
};
const SALES_ORDER_SHAPE: WireShape = { money: ['netAmount', 'totalAmount'], nested: { salesOrderLines: LINE_SHAPE } };
const ROLE = 'SalesOrders_Full';

/** `/SalesOrders` (SalesOrders_Full): Go produces and sends the invoice. */
export class SalesOrders extends Resource {
  /** `POST /SalesOrders/Complete` → 201. */
  complete(order: NewSalesOrder): Promise<SalesOrder> {
    const subject = order.externalImportReference ? `sales order ${order.externalImportReference}` : 'new sales order';
    return this.post<SalesOrder>({ path: '/SalesOrders/Complete', subject, role: ROLE }, order, SALES_ORDER_SHAPE);
  }

  /**
   * `POST /SalesOrders/{id}/createAndSendInvoice` → 202. Needs the separate invoice-sending
   * privilege; without it PowerOffice answers 400 "Missing privilege" (→ TENANT_NOT_AUTHORISED).
   */
  async createAndSendInvoice(salesOrderId: string, request: SendInvoiceRequest = {}): Promise<SendInvoiceReceipt> {
    const res = await this.session.send({
      method: 'POST',
      path: '/SalesOrders/{id}/createAndSendInvoice',
      params: { id: salesOrderId },
      body: toWire(request),
      subject: `sales order ${salesOrderId}`,
      role: ROLE,
    });
    const receipt: SendInvoiceReceipt = res.body === undefined ? {} : fromWire<SendInvoiceReceipt>(res.body);
    const location = res.headers.get('location');
    if (location) receipt.location = location;
    return receipt;
  }

  /** `GET /SalesOrders/sentState?id=…`: undefined while PowerOffice has nothing for it (204). */
  async sentState(salesOrderId: string): Promise<InvoiceSentState | undefined> {
    const res = await this.session.send({
      method: 'GET',
      path: '/SalesOrders/sentState',
      query: { id: salesOrderId },
      subject: `sales order ${salesOrderId}`,
      role: ROLE,
    });
    if (res.body === undefined) return undefined;
    const states = fromWire<InvoiceSentState[] | InvoiceSentState>(res.body);
    return Array.isArray(states) ? states[0] : states;
  }
}

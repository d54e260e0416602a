import { randomUUID } from 'node:crypto';
import { Customer, GoClient, key, Product, SalesOrder, SalesOrderLine } from './go-client';
import { Ore } from './money';
import { notFound, Problem, validationProblem, Violations } from './problem';
import { salesAccountFor } from './products';
import { addDays, Ticks } from './time';
import { vatOnNet } from './vat';
import { appendEntry, checkLockDate, customerLedgerAccountNo, newVoucher, register } from './vouchers';

const ENTITY = 'Sales order';

export interface SalesOrderLineInput {
  lineType: string | null;
  productId: number | null;
  productCode: string | null;
  quantity: number | null;
  /** ProductUnitPrice, excl. VAT, in øre; null = the product's price. */
  unitPrice: Ore | null;
  allowance: number | null;
  description: string | null;
  useStandardSalesAccount: boolean | null;
  departmentId: number | null;
  echo: Record<string, unknown>;
}

/** POST /SalesOrders/Complete. */
export interface SalesOrderInput {
  customerId: number | null;
  customerNo: number | null;
  salesOrderDate: string | null;
  currencyCode: string | null;
  externalImportReference: string | null;
  status: string | null;
  departmentId: number | null;
  departmentCode: string | null;
  lines: SalesOrderLineInput[];
  echo: Record<string, unknown>;
}

/**
 * A sales order (invoice draft) with its lines. There is no VAT on request lines: each line's VAT
 * comes from the sales account its product posts to.
 */
export function completeSalesOrder(client: GoClient, input: SalesOrderInput, today: string): SalesOrder {
  const customer = resolveCustomer(client, input);
  const departmentId = resolveDepartment(client, input.departmentId, input.departmentCode);
  const violations = new Violations();
  if (input.externalImportReference) {
    const other = client.salesOrderReferences.get(key(input.externalImportReference));
    if (other) {
      violations.add(
        `ExternalImportReference is already in use. '${input.externalImportReference}' is used on sales order Id = ${other.id}.`,
      );
    }
  }
  const useOptional = customer.fields.IsVatFree;
  const lines: SalesOrderLine[] = [];
  input.lines.forEach((line, i) => {
    const n = i + 1;
    const product = resolveProduct(client, line);
    const lineType = line.lineType ?? 'Normal';
    if (lineType === 'Text') {
      lines.push(textLine(line, product));
      return;
    }
    if (product && line.quantity === null)
      violations.add(`Sales order line ${n}: Quantity is required when a product is set.`);
    const unitPrice = line.unitPrice ?? product?.unitPrice ?? null;
    const quantity = line.quantity ?? (unitPrice !== null ? 1 : null);
    const account = salesAccountFor(client, product, useOptional || line.useStandardSalesAccount === false);
    if (!account) {
      violations.add(
        `Sales order line ${n}: no sales account found${product ? ` for product '${product.fields.Code ?? product.id}'` : ''}; set one on the product, its group or the client's sales settings.`,
      );
      return;
    }
    if (!account.fields.IsActive)
      violations.add(`Sales order line ${n}: sales account ${account.fields.AccountNo} is not active.`);
    const vat = account.fields.VatCodeId === null ? undefined : client.vatCodes.get(account.fields.VatCodeId);
    const rate = vat?.rate ?? 0;
    const net = lineNet(unitPrice, quantity, line.allowance);
    const lineDepartment = line.departmentId ?? departmentId;
    if (lineDepartment !== null && !client.departments.has(lineDepartment)) {
      violations.add(`Sales order line ${n}: Department with id = ${lineDepartment} not found.`);
    }
    lines.push({
      id: randomUUID(),
      lineType,
      productId: product?.id ?? null,
      accountId: account.id,
      description: line.description ?? product?.fields.Name ?? null,
      quantity,
      unitPrice,
      allowance: line.allowance,
      net,
      vat: vatOnNet(net, rate),
      vatId: vat?.id ?? null,
      vatCode: vat?.code ?? null,
      vatRate: vat ? vat.rate / 10_000 : null,
      departmentId: lineDepartment,
      echo: line.echo,
    });
  });
  violations.throwIfAny(ENTITY);

  const now = client.clock.tick();
  const order: SalesOrder = {
    id: randomUUID(),
    salesOrderNo: client.nextSalesOrderNo++,
    customerId: customer.id,
    status: input.status ?? 'Draft',
    salesOrderDate: input.salesOrderDate ?? today,
    currencyCode: input.currencyCode ?? customer.fields.CurrencyCode ?? 'NOK',
    externalImportReference: input.externalImportReference,
    departmentId,
    createdAt: now,
    lastChangedAt: now,
    lines,
    netAmount: lines.reduce((s, l) => s + l.net, 0),
    totalAmount: lines.reduce((s, l) => s + l.net + l.vat, 0),
    echo: input.echo,
    dispatch: null,
  };
  client.salesOrders.set(order.id, order);
  if (order.externalImportReference) client.salesOrderReferences.set(key(order.externalImportReference), order);
  return order;
}

export function getSalesOrder(client: GoClient, id: string): SalesOrder {
  const order = client.salesOrders.get(id.toLowerCase());
  if (!order) throw notFound(`Sales order with id = ${id} not found.`);
  return order;
}

export interface SendInvoiceRequest {
  deliveryType: string | null;
  emailAddress: string | null;
  voucherDate: string | null;
  overrideDueDate: string | null;
}

/**
 * POST /SalesOrders/{id}/createAndSendInvoice: turns the order into an invoice (or a credit note
 * when negative), posts it to the ledger and queues the delivery. Needs the "send invoice"
 * privilege; without it Go answers 400 "Missing privilege".
 */
export function createAndSendInvoice(
  client: GoClient,
  order: SalesOrder,
  request: SendInvoiceRequest,
  context: { allowSendInvoice: boolean; today: string; nowMs: number; processingMs: number },
): SalesOrder {
  if (!context.allowSendInvoice) {
    throw new Problem(
      400,
      'Missing privilege',
      'The integration does not have the required privileges to send invoices.',
    );
  }
  const violations = new Violations();
  if (order.dispatch) {
    violations.add(
      `Sales order with id = ${order.id} has already been invoiced (InvoiceNo = ${order.dispatch.invoiceNo}).`,
    );
  }
  if (!order.lines.some((l) => l.net !== 0))
    violations.add(`Sales order with id = ${order.id} has no lines with an amount to invoice.`);
  const voucherDate = request.voucherDate ?? context.today;
  checkLockDate(client, [voucherDate], violations);
  violations.throwIfAny(ENTITY);

  const customer = client.customers.get(order.customerId)!;
  let invoiceNo = client.nextInvoiceNo++;
  while (client.invoiceNumbers.has(String(invoiceNo))) invoiceNo = client.nextInvoiceNo++;
  const dueDays = typeof customer.fields.PaymentTerm === 'number' ? customer.fields.PaymentTerm : 14;
  const dueDate = request.overrideDueDate ?? addDays(voucherDate, dueDays);
  const type = order.totalAmount < 0 ? 'OutgoingCreditNote' : 'OutgoingInvoice';

  const voucher = newVoucher(client, {
    type,
    origin: 'SalesOrderInvoice',
    voucherDate,
    currencyCode: order.currencyCode,
    description: `Invoice ${invoiceNo}`,
    externalImportReference: null,
    importedVoucherNo: null,
    echo: {},
  });
  const ledger = client.accountsByNo.get(customerLedgerAccountNo(client))!;
  const none = client.vatCodesByCode.get('0')!;
  const common = { projectId: null, postingDate: voucherDate };
  appendEntry(client, voucher, {
    ...common,
    accountId: ledger.id,
    accountNo: ledger.fields.AccountNo,
    amount: order.totalAmount,
    currencyAmount: order.totalAmount,
    vatAmount: 0,
    vat: none,
    customerId: customer.id,
    departmentId: order.departmentId,
    productId: null,
    quantity: null,
    description: null,
  });
  for (const line of order.lines) {
    if (line.net === 0 || line.accountId === null) continue;
    const account = client.accounts.get(line.accountId)!;
    const vat = line.vatId === null ? none : client.vatCodes.get(line.vatId)!;
    const base = {
      ...common,
      vat,
      customerId: null,
      departmentId: line.departmentId,
      description: line.description,
    };
    appendEntry(client, voucher, {
      ...base,
      accountId: account.id,
      accountNo: account.fields.AccountNo,
      amount: -line.net,
      currencyAmount: -line.net,
      vatAmount: -line.vat,
      productId: line.productId,
      quantity: line.quantity,
    });
    if (line.vat !== 0 && vat.vatAccountNo !== null) {
      const vatAccount = client.accountsByNo.get(vat.vatAccountNo);
      if (!vatAccount)
        throw validationProblem(ENTITY, [`VAT account ${vat.vatAccountNo} for VAT code ${vat.code} does not exist.`]);
      appendEntry(client, voucher, {
        ...base,
        accountId: vatAccount.id,
        accountNo: vatAccount.fields.AccountNo,
        amount: -line.vat,
        currencyAmount: -line.vat,
        vatAmount: 0,
        productId: null,
        quantity: null,
      });
    }
  }

  const deliveryType = chooseDelivery(request.deliveryType, customer);
  const email = request.emailAddress ?? customer.fields.InvoiceEmailAddress ?? customer.fields.EmailAddress;
  const failed = deliveryType === 'PdfByEmail' && !email;
  const now: Ticks = voucher.createdAt;
  voucher.invoice = {
    id: voucher.id,
    voucherId: voucher.id,
    voucherNo: voucher.voucherNo,
    invoiceNo: String(invoiceNo),
    voucherType: type,
    voucherDate,
    dueDate,
    customerId: customer.id,
    cid: null,
    currencyCode: order.currencyCode,
    netAmount: order.netAmount,
    totalAmount: order.totalAmount,
    balance: order.totalAmount,
    createdAt: now,
    lastChangedAt: now,
    sentAt: failed ? null : now,
    isReversed: false,
    externalImportReference: order.externalImportReference,
    departmentId: order.departmentId,
    customerReference: typeof order.echo['CustomerReference'] === 'string' ? order.echo['CustomerReference'] : null,
    purchaseOrderReference:
      typeof order.echo['PurchaseOrderReference'] === 'string' ? order.echo['PurchaseOrderReference'] : null,
    customMatchingReference:
      typeof order.echo['CustomMatchingReference'] === 'string' ? order.echo['CustomMatchingReference'] : null,
    orderNo: order.salesOrderNo,
    orderDate: order.salesOrderDate,
    invoiceDeliveryType: deliveryType === 'PdfPrintForDownload' ? 'Print' : 'PdfByEmail',
  };
  register(client, voucher);
  order.dispatch = {
    voucherId: voucher.id,
    invoiceNo,
    dueDate,
    deliveryType,
    requestedAt: now,
    readyAtMs: context.nowMs + context.processingMs,
    sentAt: failed ? null : now,
    lastErrorMessage: failed ? 'The invoice could not be delivered: no e-mail address for the customer.' : null,
  };
  order.status = 'Confirmed';
  order.lastChangedAt = client.clock.tick();
  return order;
}

/** Auto → the customer's own delivery preference (e-mail when it has an address). */
function chooseDelivery(requested: string | null, customer: Customer): string {
  if (requested && requested !== 'Auto') return requested;
  const preferred = customer.fields.InvoiceDeliveryType;
  if (preferred === 'Print') return 'PdfPrintForDownload';
  if (preferred === 'PdfByEmail') return 'PdfByEmail';
  return customer.fields.InvoiceEmailAddress || customer.fields.EmailAddress ? 'PdfByEmail' : 'PdfPrintForDownload';
}

/** Net of a line in øre: quantity × unit price less the allowance (discount %), rounded half away from 0. */
export function lineNet(unitPrice: Ore | null, quantity: number | null, allowance: number | null): Ore {
  if (unitPrice === null || quantity === null) return 0;
  const gross = unitPrice * quantity * (1 - (allowance ?? 0) / 100);
  return Math.sign(gross) * Math.round(Math.abs(gross)) + 0;
}

function textLine(line: SalesOrderLineInput, product: Product | null): SalesOrderLine {
  return {
    id: randomUUID(),
    lineType: 'Text',
    productId: product?.id ?? null,
    accountId: null,
    description: line.description,
    quantity: null,
    unitPrice: null,
    allowance: null,
    net: 0,
    vat: 0,
    vatId: null,
    vatCode: null,
    vatRate: null,
    departmentId: line.departmentId,
    echo: line.echo,
  };
}

function resolveCustomer(client: GoClient, input: SalesOrderInput): Customer {
  if (input.customerId !== null) {
    const c = client.customers.get(input.customerId);
    if (!c) throw validationProblem(ENTITY, [`Customer with id = ${input.customerId} not found.`], 404);
    return c;
  }
  if (input.customerNo !== null) {
    const c = client.customersByNumber.get(input.customerNo);
    if (!c) throw validationProblem(ENTITY, [`Customer with number = ${input.customerNo} not found.`], 404);
    return c;
  }
  throw validationProblem(ENTITY, ['CustomerId or CustomerNo is required.']);
}

function resolveProduct(client: GoClient, line: SalesOrderLineInput): Product | null {
  if (line.productId !== null) {
    const p = client.products.get(line.productId);
    if (!p) throw validationProblem(ENTITY, [`Product with id = ${line.productId} not found.`], 404);
    return p;
  }
  if (line.productCode !== null) {
    const p = client.productsByCode.get(key(line.productCode));
    if (!p) throw validationProblem(ENTITY, [`Product with code = '${line.productCode}' not found.`], 404);
    return p;
  }
  return null;
}

function resolveDepartment(client: GoClient, id: number | null, code: string | null): number | null {
  if (id !== null && id !== -1) {
    if (!client.departments.has(id)) throw validationProblem(ENTITY, [`Department with id = ${id} not found.`], 404);
    return id;
  }
  if (code !== null && code !== '-1') {
    const d = client.departmentsByCode.get(key(code));
    if (!d) throw validationProblem(ENTITY, [`Department with code = '${code}' not found.`], 404);
    return d.id;
  }
  return null;
}

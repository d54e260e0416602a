import { randomUUID } from 'node:crypto';
import { VatCode } from './chart';
import { Customer, GlAccount, GoClient, key, LedgerEntry, Voucher, VoucherLine, VoucherType } from './go-client';
import { Ore, toNok } from './money';
import { notFound, Problem, Violations } from './problem';
import { addDays } from './time';
import { splitGross } from './vat';

const ENTITY = 'Voucher';

/** One voucher line as the endpoints receive it (money already in øre). */
export interface LineInput {
  accountId: number | null;
  postingDate: string | null;
  vatId: number | null;
  currencyAmount: Ore;
  currencyCode: string | null;
  currencyExchangeRate: number | null;
  departmentId: number | null;
  projectId: number | null;
  productId: number | null;
  quantity: number | null;
  description: string | null;
  echo: Record<string, unknown>;
}

/** POST /Vouchers/CashJournals and /Vouchers/ManualJournals. */
export interface JournalInput {
  type: 'CashJournal' | 'ManualJournal';
  voucherDate: string;
  currencyCode: string;
  description: string | null;
  externalImportReference: string | null;
  importedVoucherNo: number | null;
  lines: LineInput[];
  echo: Record<string, unknown>;
}

/** POST /Vouchers/OutgoingInvoiceJournals: an invoice the POS issued, posted to the customer ledger. */
export interface OutgoingInvoiceInput {
  invoiceNo: string | null;
  customerAccountId: number | null;
  voucherDate: string | null;
  dueDate: string | null;
  cid: string | null;
  currencyCode: string | null;
  currencyExchangeRate: number | null;
  /** The invoice total (gross); must equal the sum of the lines. Null when not sent. */
  currencyAmount: Ore | null;
  description: string | null;
  externalImportReference: string | null;
  importedVoucherNo: number | null;
  importedOrderNo: number | null;
  departmentId: number | null;
  customerReference: string | null;
  purchaseOrderReference: string | null;
  customMatchingReference: string | null;
  lines: LineInput[];
  echo: Record<string, unknown>;
}

/** Where a checked line posts: a GL account, or a customer's sub-ledger (its control account). */
interface ResolvedLine {
  input: LineInput;
  account: GlAccount;
  customer: Customer | null;
  vat: VatCode;
  /** NOK. */
  amount: Ore;
  currencyCode: string;
}

export function postJournal(client: GoClient, input: JournalInput): Voucher {
  const violations = new Violations();
  checkReference(client, input.externalImportReference, violations);
  if (input.lines.length === 0) violations.add('The voucher has no voucher lines.');
  const lines = input.lines.map((line, i) =>
    resolveLine(client, line, i + 1, input.currencyCode, { allowCustomerLedger: true }, violations),
  );
  checkLockDate(
    client,
    input.lines.map((l) => l.postingDate),
    violations,
  );
  if (!violations.any) checkBalance(lines as ResolvedLine[], violations);
  violations.throwIfAny(ENTITY);

  const voucher = newVoucher(client, {
    type: input.type,
    origin: input.type === 'CashJournal' ? 'CashJournals' : 'ManualJournals',
    voucherDate: input.voucherDate,
    currencyCode: input.currencyCode,
    description: input.description,
    externalImportReference: input.externalImportReference,
    importedVoucherNo: input.importedVoucherNo,
    echo: input.echo,
  });
  for (const line of lines as ResolvedLine[]) {
    voucher.lines.push(voucherLine(client, line));
    postGross(client, voucher, line, line.amount, line.input.currencyAmount);
  }
  register(client, voucher);
  return voucher;
}

export function postOutgoingInvoice(client: GoClient, input: OutgoingInvoiceInput): Voucher {
  const violations = new Violations();
  const invoiceNo = input.invoiceNo?.trim() || null;
  if (invoiceNo === null) violations.add('InvoiceNo is required.');
  else {
    const other = client.invoiceNumbers.get(key(invoiceNo));
    if (other)
      violations.add(
        `InvoiceNo '${invoiceNo}' is already in use on voucher Id = ${other.id} (VoucherNo = ${other.voucherNo}).`,
      );
  }
  checkReference(client, input.externalImportReference, violations);
  const customer = resolveCustomerAccount(client, input.customerAccountId, violations);
  if (input.voucherDate === null) violations.add('VoucherDate is required.');
  if (input.voucherDate && input.dueDate && input.dueDate < input.voucherDate) {
    violations.add(`DueDate ${input.dueDate} is before VoucherDate ${input.voucherDate}.`);
  }
  if (input.departmentId !== null) checkDepartment(client, input.departmentId, 'Header', violations);
  if (input.lines.length === 0) violations.add('The invoice has no invoice lines (OutgoingInvoiceLines).');
  const currencyCode = input.currencyCode ?? 'NOK';
  const lines = input.lines.map((line, i) =>
    resolveLine(
      client,
      { ...line, postingDate: input.voucherDate, currencyCode, currencyExchangeRate: input.currencyExchangeRate },
      i + 1,
      currencyCode,
      { allowCustomerLedger: false },
      violations,
    ),
  );
  checkLockDate(client, [input.voucherDate], violations);
  const lineSum = input.lines.reduce((sum, l) => sum + l.currencyAmount, 0);
  if (input.currencyAmount === null) violations.add('CurrencyAmount (the invoice total) is required.');
  else if (input.currencyAmount !== lineSum) {
    violations.add(
      `The invoice is not balanced: CurrencyAmount ${toNok(input.currencyAmount).toFixed(2)} differs from the sum of the invoice lines ${toNok(lineSum).toFixed(2)}.`,
    );
  }
  violations.throwIfAny(ENTITY);

  const resolved = lines as ResolvedLine[];
  const total = resolved.reduce((sum, l) => sum + l.amount, 0);
  const type: VoucherType = total < 0 ? 'OutgoingCreditNote' : 'OutgoingInvoice';
  const voucher = newVoucher(client, {
    type,
    origin: 'OutgoingInvoiceJournals',
    voucherDate: input.voucherDate!,
    currencyCode,
    description: input.description,
    externalImportReference: input.externalImportReference,
    importedVoucherNo: input.importedVoucherNo,
    echo: input.echo,
  });
  const ledger = client.accountsByNo.get(customerLedgerAccountNo(client))!;
  const receivable: ResolvedLine = {
    input: blankLine(customer!.subledgerAccountId, input.voucherDate!, client.vatCodesByCode.get('0')!.id, lineSum),
    account: ledger,
    customer,
    vat: client.vatCodesByCode.get('0')!,
    amount: total,
    currencyCode,
  };
  receivable.input.departmentId = input.departmentId;
  postGross(client, voucher, receivable, total, lineSum);
  let net = 0;
  for (const line of resolved) {
    // Invoice lines are sales given as positive gross amounts; in the ledger they are credits.
    voucher.lines.push(voucherLine(client, line));
    const credit: ResolvedLine = {
      ...line,
      input: { ...line.input, departmentId: line.input.departmentId ?? input.departmentId },
    };
    net += postGross(client, voucher, credit, -line.amount, -line.input.currencyAmount);
  }
  const dueDays = typeof customer!.fields.PaymentTerm === 'number' ? customer!.fields.PaymentTerm : 14;
  voucher.invoice = {
    id: voucher.id,
    voucherId: voucher.id,
    voucherNo: voucher.voucherNo,
    invoiceNo: invoiceNo!,
    voucherType: type,
    voucherDate: voucher.voucherDate,
    dueDate: input.dueDate ?? addDays(voucher.voucherDate, dueDays),
    customerId: customer!.id,
    cid: input.cid,
    currencyCode,
    netAmount: -net,
    totalAmount: total,
    balance: total,
    createdAt: voucher.createdAt,
    lastChangedAt: voucher.createdAt,
    // Imported invoices were sent by the external system, not by Go: no sent date.
    sentAt: null,
    isReversed: false,
    externalImportReference: input.externalImportReference,
    departmentId: input.departmentId,
    customerReference: input.customerReference,
    purchaseOrderReference: input.purchaseOrderReference,
    customMatchingReference: input.customMatchingReference,
    orderNo: input.importedOrderNo,
    orderDate: null,
    invoiceDeliveryType: null,
  };
  register(client, voucher);
  return voucher;
}

/**
 * POST /Vouchers/Reverse/{id}: a reversal voucher that nullifies the original, dated like it. The
 * original's ExternalImportReference and InvoiceNo become free for a corrected voucher.
 */
export function reverseVoucher(client: GoClient, voucherId: string): Voucher {
  const original = client.vouchers.get(voucherId.toLowerCase());
  if (!original) throw notFound(`Voucher with id = ${voucherId} not found.`);
  const violations = new Violations();
  if (original.origin === 'Reverse' || original.origin === 'SalesOrderInvoice') {
    violations.add(
      `Voucher with id = ${original.id} was not created through the voucher endpoints of this integration and cannot be reversed here.`,
    );
  } else if (original.isReversed) {
    violations.add(`Voucher with id = ${original.id} (VoucherNo = ${original.voucherNo}) is already reversed.`);
  }
  const entries = [...(client.ledgerByVoucher.get(original.id) ?? [])];
  checkLockDate(
    client,
    entries.map((e) => e.postingDate),
    violations,
  );
  violations.throwIfAny(ENTITY);

  const reversal = newVoucher(client, {
    type: 'ReversalVoucher',
    origin: 'Reverse',
    voucherDate: original.voucherDate,
    currencyCode: original.currencyCode,
    description: `Reversal of voucher ${original.voucherNo}`,
    externalImportReference: null,
    importedVoucherNo: null,
    echo: {},
  });
  reversal.reversalOfVoucherId = original.id;
  reversal.lines = original.lines.map((l) => ({
    ...l,
    id: client.ids.take(),
    currencyAmount: -l.currencyAmount,
    amount: -l.amount,
    echo: { ...l.echo, CurrencyAmount: toNok(-l.currencyAmount) },
  }));
  const now = reversal.createdAt;
  for (const entry of entries) {
    entry.isReversed = true;
    entry.reversedVoucherId = reversal.id;
    entry.reversedVoucherNo = reversal.voucherNo;
    entry.lastChangedAt = now;
    client.appendLedgerEntry({
      ...entry,
      id: client.ids.take(),
      voucherId: reversal.id,
      voucherNo: reversal.voucherNo,
      voucherType: 'ReversalVoucher',
      voucherDescription: reversal.description,
      amount: -entry.amount,
      currencyAmount: -entry.currencyAmount,
      vatAmount: -entry.vatAmount,
      externalImportReference: null,
      createdAt: now,
      lastChangedAt: now,
      isReversed: true,
      reversedVoucherId: original.id,
      reversedVoucherNo: original.voucherNo,
    });
  }
  original.isReversed = true;
  original.reversedByVoucherId = reversal.id;
  const ref = original.externalImportReference;
  if (ref && client.voucherReferences.get(key(ref)) === original) client.voucherReferences.delete(key(ref));
  if (original.invoice) {
    const no = original.invoice.invoiceNo;
    if (client.invoiceNumbers.get(key(no)) === original) client.invoiceNumbers.delete(key(no));
    original.invoice.isReversed = true;
    original.invoice.balance = 0;
    original.invoice.lastChangedAt = now;
  }
  client.vouchers.set(reversal.id, reversal);
  return reversal;
}

/** GET /Vouchers/<kind>/{id}: only vouchers this integration created through that endpoint. */
export function getVoucher(client: GoClient, id: string, origin: Voucher['origin']): Voucher {
  const voucher = client.vouchers.get(id.toLowerCase());
  if (!voucher || voucher.origin !== origin) throw notFound(`Voucher with id = ${id} not found.`);
  return voucher;
}

// ---------------------------------------------------------------------------------------------
// Shared with sales-order invoicing.

export interface NewVoucher {
  type: VoucherType;
  origin: Voucher['origin'];
  voucherDate: string;
  currencyCode: string;
  description: string | null;
  externalImportReference: string | null;
  importedVoucherNo: number | null;
  echo: Record<string, unknown>;
}

export function newVoucher(client: GoClient, v: NewVoucher): Voucher {
  return {
    ...v,
    id: randomUUID(),
    voucherNo: client.takeVoucherNo(),
    createdAt: client.clock.tick(),
    isReversed: false,
    reversedByVoucherId: null,
    reversalOfVoucherId: null,
    lines: [],
    invoice: null,
  };
}

export function register(client: GoClient, voucher: Voucher): void {
  client.vouchers.set(voucher.id, voucher);
  if (voucher.externalImportReference) client.voucherReferences.set(key(voucher.externalImportReference), voucher);
  if (voucher.invoice) {
    client.invoiceNumbers.set(key(voucher.invoice.invoiceNo), voucher);
    client.invoices.set(voucher.invoice.id, voucher.invoice);
  }
}

/** The account that carries the customer sub-ledger (1500 in NS 4102). */
export function customerLedgerAccountNo(client: GoClient): number {
  const series = client.customerSeries().find((s) => s.isDefault) ?? client.customerSeries()[0];
  if (!series) throw new Problem(400, `${ENTITY} validation error(s)`, 'The client has no customer sub-ledger.');
  return series.accountNo;
}

export interface Posting {
  accountId: number;
  accountNo: number;
  amount: Ore;
  currencyAmount: Ore;
  vatAmount: Ore;
  vat: VatCode;
  customerId: number | null;
  departmentId: number | null;
  projectId: number | null;
  productId: number | null;
  quantity: number | null;
  description: string | null;
  postingDate: string;
}

/** Appends one ledger row for a voucher. */
export function appendEntry(client: GoClient, voucher: Voucher, p: Posting): void {
  client.appendLedgerEntry({
    id: client.ids.take(),
    voucherId: voucher.id,
    voucherNo: voucher.voucherNo,
    voucherType: voucher.type,
    voucherDate: voucher.voucherDate,
    voucherDescription: voucher.description,
    postingDate: p.postingDate,
    accountId: p.accountId,
    accountNo: p.accountNo,
    amount: p.amount,
    currencyAmount: p.currencyAmount,
    currencyCode: voucher.currencyCode,
    vatAmount: p.vatAmount,
    vatId: p.vat.id,
    vatCode: p.vat.code,
    vatRate: p.vat.rate / 10_000,
    departmentId: p.departmentId,
    projectId: p.projectId,
    productId: p.productId,
    customerId: p.customerId,
    quantity: p.quantity,
    description: p.description,
    externalImportReference: voucher.externalImportReference,
    importedVoucherNo: voucher.importedVoucherNo,
    createdAt: voucher.createdAt,
    lastChangedAt: voucher.createdAt,
    isReversed: false,
    reversedVoucherId: null,
    reversedVoucherNo: null,
  } satisfies LedgerEntry);
}

/**
 * Posts a gross amount: the net on the line's account (the row carries the VAT amount and code) and
 * the VAT on the code's VAT account. Returns the net (NOK).
 */
function postGross(client: GoClient, voucher: Voucher, line: ResolvedLine, gross: Ore, currencyGross: Ore): Ore {
  const hasVat = line.vat.rate > 0 && line.vat.vatAccountNo !== null && line.customer === null;
  const split = hasVat ? splitGross(gross, line.vat.rate) : { net: gross, vat: 0 };
  const currencySplit = hasVat ? splitGross(currencyGross, line.vat.rate) : { net: currencyGross, vat: 0 };
  const base = {
    vat: line.vat,
    departmentId: line.input.departmentId,
    projectId: line.input.projectId,
    productId: line.input.productId,
    quantity: line.input.quantity,
    description: line.input.description,
    postingDate: line.input.postingDate!,
  };
  appendEntry(client, voucher, {
    ...base,
    accountId: line.account.id,
    accountNo: line.account.fields.AccountNo,
    amount: split.net,
    currencyAmount: currencySplit.net,
    vatAmount: split.vat,
    customerId: line.customer?.id ?? null,
  });
  if (split.vat !== 0) {
    const vatAccount = client.accountsByNo.get(line.vat.vatAccountNo!)!;
    appendEntry(client, voucher, {
      ...base,
      accountId: vatAccount.id,
      accountNo: vatAccount.fields.AccountNo,
      amount: split.vat,
      currencyAmount: currencySplit.vat,
      vatAmount: 0,
      customerId: null,
      quantity: null,
      productId: null,
    });
  }
  return split.net;
}

function voucherLine(client: GoClient, line: ResolvedLine): VoucherLine {
  return {
    id: client.ids.take(),
    accountId: line.input.accountId!,
    postingDate: line.input.postingDate!,
    vatId: line.vat.id,
    currencyAmount: line.input.currencyAmount,
    amount: line.amount,
    currencyCode: line.currencyCode,
    currencyExchangeRate: line.input.currencyExchangeRate,
    departmentId: line.input.departmentId,
    projectId: line.input.projectId,
    productId: line.input.productId,
    quantity: line.input.quantity,
    description: line.input.description,
    echo: line.input.echo,
  };
}

function blankLine(accountId: number, postingDate: string, vatId: number, amount: Ore): LineInput {
  return {
    accountId,
    postingDate,
    vatId,
    currencyAmount: amount,
    currencyCode: null,
    currencyExchangeRate: null,
    departmentId: null,
    projectId: null,
    productId: null,
    quantity: null,
    description: null,
    echo: {},
  };
}

/** Checks one line against the client's chart; returns its resolution or null (with violations). */
function resolveLine(
  client: GoClient,
  line: LineInput,
  n: number,
  headerCurrency: string,
  options: { allowCustomerLedger: boolean },
  violations: Violations,
): ResolvedLine | null {
  const at = `Voucher line ${n}:`;
  let ok = true;
  const fail = (reason: string): void => {
    violations.add(`${at} ${reason}`);
    ok = false;
  };
  if (line.currencyAmount === 0) fail('CurrencyAmount must not be 0.');
  if (line.postingDate === null) fail('PostingDate is required.');

  let account: GlAccount | undefined;
  let customer: Customer | null = null;
  if (line.accountId === null) fail('AccountId is required.');
  else {
    account = client.accounts.get(line.accountId);
    if (!account) {
      const owner = client.customersBySubledger.get(line.accountId);
      if (owner && options.allowCustomerLedger) {
        customer = owner;
        account = client.accountsByNo.get(customerLedgerAccountNo(client));
      } else if (owner) {
        fail(
          `AccountId ${line.accountId} is a customer's sub-ledger account; invoice lines post to general ledger accounts.`,
        );
      } else {
        fail(`General ledger account with id = ${line.accountId} not found.`);
      }
    } else {
      const no = account.fields.AccountNo;
      if (!account.fields.IsActive) fail(`General ledger account ${no} is not active.`);
      if (client.isSubledgerControlAccount(no)) {
        fail(
          `General ledger account ${no} is a sub-ledger control account and cannot be posted to directly; post to the customer's (or supplier's) SubledgerAccountId instead.`,
        );
      }
    }
  }

  let vat: VatCode | undefined;
  if (line.vatId === null) fail('VatId is required.');
  else {
    vat = client.vatCodes.get(line.vatId);
    if (!vat) fail(`Vat code with id = ${line.vatId} not found.`);
    else if (!vat.isActive) fail(`Vat code ${vat.code} is not active.`);
  }
  if (account && vat && customer === null) {
    const f = account.fields;
    if (f.IsVatCodeLocked && f.VatCodeId !== null && f.VatCodeId !== vat.id) {
      const locked = client.vatCodes.get(f.VatCodeId)?.code ?? String(f.VatCodeId);
      fail(
        `General ledger account ${f.AccountNo} is locked to VAT code ${locked}; VAT code ${vat.code} is not allowed.`,
      );
    }
    if (f.IsDepartmentRequired && line.departmentId === null) {
      fail(`General ledger account ${f.AccountNo} requires a department (DepartmentId).`);
    }
    if (f.IsProjectRequired && line.projectId === null)
      fail(`General ledger account ${f.AccountNo} requires a project (ProjectId).`);
    if (vat.rate > 0 && vat.vatAccountNo !== null && !client.accountsByNo.has(vat.vatAccountNo)) {
      fail(`VAT code ${vat.code} posts to account ${vat.vatAccountNo}, which does not exist in the client.`);
    }
  }
  if (line.departmentId !== null && !checkDepartment(client, line.departmentId, at, violations)) ok = false;
  if (line.projectId !== null) fail(`Project with id = ${line.projectId} not found.`);
  if (line.productId !== null && !client.products.has(line.productId))
    fail(`Product with id = ${line.productId} not found.`);

  const currencyCode = line.currencyCode ?? headerCurrency;
  let amount = line.currencyAmount;
  if (currencyCode.toUpperCase() !== 'NOK') {
    // Go would look up the ECB rate for the posting date; the emulator has none, so it needs the rate.
    if (line.currencyExchangeRate === null || line.currencyExchangeRate <= 0) {
      fail(`no exchange rate for ${currencyCode} is available in the emulator; give CurrencyExchangeRate.`);
    } else {
      amount = Math.round(line.currencyAmount * line.currencyExchangeRate) + 0;
    }
  }
  if (!ok || !account || !vat) return null;
  return { input: line, account, customer, vat, amount, currencyCode };
}

function checkDepartment(client: GoClient, id: number, at: string, violations: Violations): boolean {
  const department = client.departments.get(id);
  if (!department) {
    violations.add(`${at} Department with id = ${id} not found.`);
    return false;
  }
  if (!department.fields.IsActive) {
    violations.add(`${at} Department ${department.fields.Code ?? id} is not active.`);
    return false;
  }
  return true;
}

function resolveCustomerAccount(client: GoClient, id: number | null, violations: Violations): Customer | null {
  if (id === null) {
    violations.add("CustomerAccountId is required (the customer's SubledgerAccountId).");
    return null;
  }
  const customer = client.customersBySubledger.get(id);
  if (customer) return customer;
  const byId = client.customers.get(id);
  violations.add(
    byId
      ? `Customer account with id = ${id} not found. ${id} is the customer's Id; CustomerAccountId takes its SubledgerAccountId (${byId.subledgerAccountId}).`
      : `Customer account with id = ${id} not found.`,
  );
  return null;
}

function checkReference(client: GoClient, reference: string | null, violations: Violations): void {
  if (!reference) return;
  const other = client.voucherReferences.get(key(reference));
  if (other) {
    violations.add(
      `ExternalImportReference is already in use. '${reference}' is used on voucher Id = ${other.id} (VoucherNo = ${other.voucherNo}).`,
    );
  }
}

/** Nothing may be posted on or before the client's lock date. */
export function checkLockDate(client: GoClient, dates: ReadonlyArray<string | null>, violations: Violations): void {
  const lock = client.lockDate;
  if (lock === null) return;
  const locked = [...new Set(dates.filter((d): d is string => d !== null && d <= lock))].sort();
  for (const date of locked) {
    violations.add(`Posting date ${date} is on or before the lock date ${lock}; the period is locked.`);
  }
}

/** Debits and credits must cancel to the øre (compared in NOK øre after any exchange). */
function checkBalance(lines: readonly ResolvedLine[], violations: Violations): void {
  const sum = lines.reduce((total, l) => total + l.amount, 0);
  if (sum !== 0) {
    violations.add(
      `Voucher is not balanced: the voucher lines sum to ${toNok(sum).toFixed(2)} NOK (debit +, credit −) but must sum to 0.00.`,
    );
  }
}

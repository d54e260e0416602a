import { createHash } from 'node:crypto';
import { formatNok, formatRate, sumOre } from './money';
import type { AccountMapping, MappedAccount, PaymentMethod, ZReportClosed, ZReportSalesLine } from './z-report';

/**
 * One line of the settlement voucher. `amount` is signed øre: debit positive, credit negative —
 * PowerOffice's cash journal convention; `libs/poweroffice` converts to decimal NOK.
 * Amounts are GROSS; PowerOffice splits VAT off sales lines from `vatCode` (pos-domain §7.1).
 */
export interface CashJournalVoucherLine {
  accountNo: number;
  vatCode: string;
  amount: number;
  description: string;
  /** PowerOffice department code (a dimension), when the tenant uses departments. */
  departmentCode?: string;
}

/** A voucher ready to be sent, before PowerOffice ids (AccountId, VatId) are resolved. */
export interface CashJournalVoucherDraft {
  voucherDate: string;
  description: string;
  importedVoucherNo: number;
  /** Deterministic per tenant + register + Z: PowerOffice-side idempotency key (≤ 50 chars). */
  externalImportReference: string;
  currency: 'NOK';
  lines: CashJournalVoucherLine[];
  totals: { debit: number; credit: number };
}

export type BuildCashJournalVoucherResult =
  | { ok: true; voucher: CashJournalVoucherDraft }
  | { ok: false; code: 'MAPPING_MISSING'; missing: string[]; message: string }
  | { ok: false; code: 'UNBALANCED'; debit: number; credit: number; difference: number; message: string };

export interface CashJournalVoucherContext {
  tenantId: string;
  /**
   * Default PowerOffice department code for every line when the report carries no department of
   * its own (e.g. a single-shop tenant that books everything on department "10").
   */
  departmentDimension?: string;
}

/** Fixed order of payment lines, so the same content always gives the same voucher. */
const PAYMENT_ORDER: readonly PaymentMethod[] = [
  'cash',
  'card',
  'vipps',
  'giftCard',
  'creditNote',
  'pantSlip',
  'other',
];

const PAYMENT_TEXT: Record<Exclude<PaymentMethod, 'invoice'>, string> = {
  cash: 'Kontant',
  card: 'Kort',
  vipps: 'Vipps',
  giftCard: 'Gavekort innløst',
  creditNote: 'Tilgodelapp innløst',
  pantSlip: 'Pantelapp',
  other: 'Annen betaling',
};

/** Line texts are short: PowerOffice shows them in narrow columns. */
const MAX_DESCRIPTION = 100;

/** One posting before grouping: where it goes, with what sign, and the key an operator maps. */
interface Posting {
  mappingKey: string;
  account: MappedAccount | undefined;
  /** VAT code forced by the source (sales); otherwise the mapping's, else "0". */
  vatCode?: string;
  amount: number;
  description: string;
}

/**
 * Builds the cash journal voucher of one Z-report (pos-domain §7, worked examples §8).
 *
 * Debit (+): every payment means on its mapped account, except `invoice` (a sale on account is
 * posted by the invoice flow, never here); the cash line is what should be in the drawer:
 * cash payments + cash difference. Credit (−): sales per VAT code at gross, on the article-group
 * account where the mapping splits that group, else on the VAT code's account; gift cards sold
 * (a liability, not revenue); tips (owed to staff).
 * Balancing items, side by sign:
 * - rounding: `report.rounding` < 0 means customers paid less → DEBIT the rounding account;
 * - cash difference: < 0 is a shortage → DEBIT the cash-difference account, and cash is reduced.
 *
 * Lines are summed per (account, VAT code, side): debits and credits on one account stay apart,
 * so gift cards redeemed (Dr 2901) and sold (Cr 2901) are two lines as an accountant expects.
 * Zero lines are dropped. `creditSales`, `returns`, `discounts` and `voids` are information only
 * (returns/discounts are already netted into `sales`) and never reach a line.
 *
 * Failures: every unmapped key at once (`MAPPING_MISSING`), or lines that do not balance to the
 * øre (`UNBALANCED` — the payment identity of the report does not hold).
 */
export function buildCashJournalVoucher(
  report: ZReportClosed,
  mapping: AccountMapping,
  ctx: CashJournalVoucherContext,
): BuildCashJournalVoucherResult {
  const postings = collectPostings(report, mapping);
  const department = resolveDepartment(report, mapping, ctx);

  const missing = new Set<string>();
  for (const p of postings) if (p.amount !== 0 && !p.account) missing.add(p.mappingKey);
  if (department.missingKey) missing.add(department.missingKey);
  if (missing.size > 0) {
    const keys = [...missing].sort();
    return {
      ok: false,
      code: 'MAPPING_MISSING',
      missing: keys,
      message: `no account mapping for ${keys.join(', ')} (Z ${report.zNumber}, register ${report.registerId})`,
    };
  }

  const lines = groupLines(postings, department.code);
  const debit = sumOre(lines.filter((l) => l.amount > 0).map((l) => l.amount));
  const credit = -sumOre(lines.filter((l) => l.amount < 0).map((l) => l.amount));
  if (debit !== credit) {
    const difference = debit - credit;
    return {
      ok: false,
      code: 'UNBALANCED',
      debit,
      credit,
      difference,
      message:
        `voucher for Z ${report.zNumber}, register ${report.registerId} does not balance: ` +
        `debit ${formatNok(debit)} ≠ credit ${formatNok(credit)} (difference ${formatNok(difference)})`,
    };
  }

  return {
    ok: true,
    voucher: {
      voucherDate: report.businessDate,
      description: `Z-rapport ${report.zNumber} kasse ${report.registerId} ${report.businessDate}`,
      importedVoucherNo: report.zNumber,
      externalImportReference: externalImportReference(ctx.tenantId, report.registerId, report.zNumber),
      currency: 'NOK',
      lines,
      totals: { debit, credit },
    },
  };
}

function collectPostings(report: ZReportClosed, mapping: AccountMapping): Posting[] {
  const postings: Posting[] = [];
  const cashDifference = report.cash?.difference ?? 0;

  // Known methods in a fixed order; a method this code does not know yet (the contract may add
  // one) still gets a line and therefore a mapping key, instead of silently vanishing.
  const unknown = report.payments.map((p) => p.method).filter((m) => m !== 'invoice' && !PAYMENT_ORDER.includes(m));
  for (const method of [...PAYMENT_ORDER, ...new Set(unknown)]) {
    const amount = sumOre(report.payments.filter((p) => p.method === method).map((p) => p.amount));
    // The drawer holds cash payments + difference (a shortage lowers it): that is the cash line.
    const lineAmount = method === 'cash' ? amount + cashDifference : amount;
    postings.push({
      mappingKey: `payments.${method}`,
      account: mapping.payments[method],
      amount: lineAmount,
      description: PAYMENT_TEXT[method as keyof typeof PAYMENT_TEXT] ?? `Betaling ${method}`,
    });
    if (method === 'cash') {
      postings.push({
        mappingKey: 'cashDifference',
        account: mapping.cashDifference,
        amount: -cashDifference,
        description: 'Kassedifferanse',
      });
    }
  }

  postings.push({
    mappingKey: 'rounding',
    account: mapping.rounding,
    amount: -(report.rounding ?? 0),
    description: 'Øreavrunding',
  });

  for (const sale of report.sales) postings.push(salesPosting(sale, mapping));

  postings.push({
    mappingKey: 'giftCardsSold',
    account: mapping.giftCardsSold,
    amount: -(report.giftCardsSold?.amount ?? 0),
    description: 'Gavekort solgt',
  });
  postings.push({
    mappingKey: 'tips',
    account: mapping.tips,
    amount: -(report.tips?.amount ?? 0),
    description: 'Driks',
  });
  return postings;
}

function salesPosting(sale: ZReportSalesLine, mapping: AccountMapping): Posting {
  const base = `Salg ${formatRate(sale.vatRate)} %`;
  const group = sale.articleGroupId === undefined ? undefined : mapping.salesByArticleGroup?.[sale.articleGroupId];
  const groupAccount = group?.[sale.vatCode];
  if (groupAccount) {
    return {
      mappingKey: `salesByArticleGroup.${sale.articleGroupId}.${sale.vatCode}`,
      account: groupAccount,
      vatCode: sale.vatCode,
      amount: -sale.grossAmount,
      description: `${base} varegruppe ${sale.articleGroupId}`,
    };
  }
  return {
    // The tenant split this group but not this rate: name the key they were evidently using.
    mappingKey: group ? `salesByArticleGroup.${sale.articleGroupId}.${sale.vatCode}` : `sales.${sale.vatCode}`,
    account: mapping.sales[sale.vatCode],
    // The report's code, not the mapping's: the VAT treatment is a fact of the sale.
    vatCode: sale.vatCode,
    amount: -sale.grossAmount,
    description: base,
  };
}

function resolveDepartment(
  report: ZReportClosed,
  mapping: AccountMapping,
  ctx: CashJournalVoucherContext,
): { code?: string; missingKey?: string } {
  const pos = report.departmentCode;
  if (pos !== undefined && mapping.departments) {
    const code = mapping.departments[pos];
    return code === undefined ? { missingKey: `departments.${pos}` } : { code };
  }
  // Without a departments table the tenant has not opted into per-report departments; a POS code
  // is not assumed to exist in PowerOffice (an unknown department would be rejected there).
  return ctx.departmentDimension === undefined ? {} : { code: ctx.departmentDimension };
}

function groupLines(postings: readonly Posting[], departmentCode: string | undefined): CashJournalVoucherLine[] {
  const groups = new Map<string, { line: CashJournalVoucherLine; texts: string[] }>();
  for (const p of postings) {
    if (p.amount === 0 || !p.account) continue;
    const vatCode = p.vatCode ?? p.account.vatCode ?? '0';
    const side = p.amount > 0 ? 'D' : 'C';
    const key = `${p.account.account}|${vatCode}|${side}`;
    const g = groups.get(key);
    if (g) {
      g.line.amount += p.amount;
      if (!g.texts.includes(p.description)) g.texts.push(p.description);
    } else {
      const line: CashJournalVoucherLine = { accountNo: p.account.account, vatCode, amount: p.amount, description: '' };
      if (departmentCode !== undefined) line.departmentCode = departmentCode;
      groups.set(key, { line, texts: [p.description] });
    }
  }

  const lines = [...groups.values()].map(({ line, texts }) => ({
    ...line,
    description: truncate(texts.join(' / '), MAX_DESCRIPTION),
  }));
  // Debits first, then credits, each in posting order (stable sort) — the layout of §8.
  return lines.sort((a, b) => Number(a.amount < 0) - Number(b.amount < 0));
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/**
 * PowerOffice's external import reference for a Z: stable across retries and replays of the same
 * (tenant, register, Z), and short enough for the field (38 chars ≤ 50).
 */
export function externalImportReference(tenantId: string, registerId: string, zNumber: number): string {
  const digest = createHash('sha256').update(`${tenantId}|${registerId}|${zNumber}`).digest('hex');
  return `oop-z-${digest.slice(0, 32)}`;
}

/**
 * A stable hash of what the voucher is built from, to tell a redelivery of a Z (same hash) from a
 * CORRECTED report under the same Z number (different hash). Order-insensitive and aggregated per
 * posting key, so reordering or splitting the same amounts does not look like a correction.
 * Deliberately left out, because they never change the posting: closedAt, storeId, counts,
 * saftCode, grand totals, credit sales, invoice payments and the info-only returns/discounts/voids.
 */
export function contentHash(report: ZReportClosed): string {
  const sales = new Map<string, { gross: number; net: number; vat: number }>();
  for (const s of report.sales) {
    const key = `${s.vatCode}|${s.articleGroupId ?? ''}`;
    const t = sales.get(key) ?? { gross: 0, net: 0, vat: 0 };
    t.gross += s.grossAmount;
    t.net += s.netAmount;
    t.vat += s.vatAmount;
    sales.set(key, t);
  }
  const payments = new Map<string, number>();
  for (const p of report.payments) {
    if (p.method === 'invoice') continue;
    payments.set(p.method, (payments.get(p.method) ?? 0) + p.amount);
  }
  const byKey = <T>(m: Map<string, T>) => [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

  const canonical = JSON.stringify([
    'z-content-v1',
    report.registerId,
    report.zNumber,
    report.businessDate,
    report.currency,
    report.departmentCode ?? null,
    byKey(sales)
      .filter(([, t]) => t.gross !== 0 || t.net !== 0 || t.vat !== 0)
      .map(([k, t]) => [k, t.gross, t.net, t.vat]),
    byKey(payments).filter(([, amount]) => amount !== 0),
    report.giftCardsSold?.amount ?? 0,
    report.tips?.amount ?? 0,
    report.rounding ?? 0,
    report.cash ? [report.cash.openingFloat, report.cash.counted, report.cash.difference] : null,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

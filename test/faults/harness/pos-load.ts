import type { ArticleChanged, CustomerChanged, InvoicePosted, PosEventType, ZReportClosed } from '@lib/contracts';
import { zReportEntityId } from '@lib/contracts';
import { Rng } from './settings';

/**
 * What the POS sends for one tenant during the run, and what that implies for PowerOffice. Every
 * name and code carries the tenant's marker, so an object in the wrong tenant's PowerOffice client
 * is recognisable. Amounts are chosen so PowerOffice's VAT split of a gross amount is exact
 * (25 %: multiples of 1.25 kr, 15 %: of 1.15 kr), which lets the ledger be checked to the øre
 * without re-implementing any of the flows' rounding.
 */
export interface CustomerPlan {
  customerId: string;
  /** v1 and v2; PowerOffice must end with v2's content whatever the delivery order. */
  versions: CustomerChanged[];
}

export interface ArticlePlan {
  articleId: string;
  code: string;
  versions: ArticleChanged[];
}

export interface TenantLoad {
  tenantId: string;
  marker: string;
  customers: CustomerPlan[];
  articles: ArticlePlan[];
  zReports: ZReportClosed[];
  invoices: InvoicePosted[];
}

export interface LoadSize {
  customers: number;
  articles: number;
  registers: number;
  days: number;
  invoices: number;
}

export function loadSize(scale: number): LoadSize {
  return {
    customers: Math.max(2, Math.round(5 * scale)),
    articles: Math.max(2, Math.round(5 * scale)),
    registers: Math.max(1, Math.round(2 * scale)),
    days: 2,
    invoices: Math.max(2, Math.round(4 * scale)),
  };
}

/** `YYYY-MM-DD` in Europe/Oslo, `daysAgo` days before today. */
export function osloDate(daysAgo: number, now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Oslo' }).format(
    new Date(now.getTime() - daysAgo * 86_400_000),
  );
}

/** Valid data that still looks like an attack to a careless layer: it must reach PowerOffice verbatim. */
export const AWKWARD_NAME = `O'Brien "Kafé" & Søn; DROP TABLE customer_sync.customers;--`;

export function customerVersion(marker: string, i: number, version: number): CustomerChanged {
  const base = i === 0 ? `${AWKWARD_NAME} ${marker}-${i}` : `Kunde ${marker}-${i}`;
  return {
    customerId: `c-${i}`,
    isPerson: false,
    name: `${base} v${version}`,
    email: `post+${marker}-${i}@example.no`,
    address: { line1: `Storgata ${i + 1}`, postalCode: '0155', city: 'Oslo', countryCode: 'NO' },
    active: true,
    version,
    changedAt: new Date(Date.UTC(2026, 0, 1, 8, version)).toISOString(),
  };
}

export function articleVersion(marker: string, i: number, version: number, priceUnits: number): ArticleChanged {
  const vat25 = i % 2 === 0;
  return {
    articleId: `a-${i}`,
    articleNumber: `${marker}-${i}`,
    name: `Vare ${marker}-${i} v${version}`,
    type: 'Product',
    unitPriceInclVat: (vat25 ? 125 : 115) * (priceUnits + version),
    vatCode: vat25 ? '3' : '31',
    unit: 'EA',
    active: true,
    version,
    changedAt: new Date(Date.UTC(2026, 0, 1, 9, version)).toISOString(),
  };
}

/** A day at one register: 25 % and 15 % sales, paid by cash, card and Vipps. */
export function zReport(registerId: string, zNumber: number, businessDate: string, rng: Rng): ZReportClosed {
  const k25 = rng.int(200, 4000);
  const k15 = rng.int(100, 3000);
  const gross25 = 125 * k25;
  const gross15 = 115 * k15;
  const total = gross25 + gross15;
  const cash = Math.round(total * 0.3);
  const vipps = Math.round(total * 0.2);
  return {
    registerId,
    zNumber,
    businessDate,
    closedAt: `${businessDate}T21:30:00+01:00`,
    currency: 'NOK',
    sales: [
      {
        vatCode: '3',
        vatRate: 25,
        grossAmount: gross25,
        netAmount: 100 * k25,
        vatAmount: 25 * k25,
        count: rng.int(5, 90),
      },
      {
        vatCode: '31',
        vatRate: 15,
        grossAmount: gross15,
        netAmount: 100 * k15,
        vatAmount: 15 * k15,
        count: rng.int(5, 90),
      },
    ],
    payments: [
      { method: 'cash', saftCode: '12001', amount: cash, count: rng.int(1, 30) },
      { method: 'card', saftCode: '12002', amount: total - cash - vipps, count: rng.int(1, 60) },
      { method: 'vipps', saftCode: '12011', amount: vipps, count: rng.int(1, 20) },
    ],
  };
}

export function invoice(
  marker: string,
  n: number,
  customerId: string,
  invoiceDate: string,
  dueDate: string,
  rng: Rng,
): InvoicePosted {
  const lines = [
    (() => {
      const k = rng.int(100, 2000);
      return {
        description: `Catering ${marker}`,
        quantity: 1,
        unitPriceExclVat: 100 * k,
        vatCode: '3',
        netAmount: 100 * k,
        vatAmount: 25 * k,
        grossAmount: 125 * k,
      };
    })(),
  ];
  if (n % 2 === 1) {
    const k = rng.int(100, 2000);
    lines.push({
      description: `Mat ${marker}`,
      quantity: 1,
      unitPriceExclVat: 100 * k,
      vatCode: '31',
      netAmount: 100 * k,
      vatAmount: 15 * k,
      grossAmount: 115 * k,
    });
  }
  const totals = lines.reduce(
    (t, l) => ({ net: t.net + l.netAmount, vat: t.vat + l.vatAmount, gross: t.gross + l.grossAmount }),
    { net: 0, vat: 0, gross: 0 },
  );
  return {
    invoiceId: `inv-${n}`,
    invoiceNumber: String(70000 + n),
    kind: 'invoice',
    customer: { customerId },
    invoiceDate,
    dueDate,
    currency: 'NOK',
    lines,
    totals,
  };
}

export function tenantLoad(tenantId: string, marker: string, size: LoadSize, rng: Rng): TenantLoad {
  const customers: CustomerPlan[] = [];
  for (let i = 0; i < size.customers; i++) {
    customers.push({ customerId: `c-${i}`, versions: [customerVersion(marker, i, 1), customerVersion(marker, i, 2)] });
  }
  const articles: ArticlePlan[] = [];
  for (let i = 0; i < size.articles; i++) {
    const units = rng.int(20, 400);
    articles.push({
      articleId: `a-${i}`,
      code: `${marker}-${i}`,
      versions: [articleVersion(marker, i, 1, units), articleVersion(marker, i, 2, units)],
    });
  }
  const zReports: ZReportClosed[] = [];
  for (let r = 1; r <= size.registers; r++) {
    for (let z = 1; z <= size.days; z++) zReports.push(zReport(`kasse-${r}`, z, osloDate(size.days - z + 1), rng));
  }
  const invoices: InvoicePosted[] = [];
  for (let n = 0; n < size.invoices; n++) {
    invoices.push(invoice(marker, n, `c-${n % size.customers}`, osloDate(1), osloDate(-13), rng));
  }
  return { tenantId, marker, customers, articles, zReports, invoices };
}

/** The key entity of a POS event's data (the part of the Kafka key after the tenant). */
export function entityOf(
  type: PosEventType,
  data: CustomerChanged | ArticleChanged | ZReportClosed | InvoicePosted,
): string {
  switch (type) {
    case 'CustomerChanged':
      return (data as CustomerChanged).customerId;
    case 'ArticleChanged':
      return (data as ArticleChanged).articleId;
    case 'ZReportClosed':
      return zReportEntityId((data as ZReportClosed).registerId, (data as ZReportClosed).zNumber);
    case 'InvoicePosted':
      return (data as InvoicePosted).invoiceId;
  }
}

// ------------------------------------------------------------------ what the events imply for the ledger

/** NS 4102 accounts (pos-domain.md §6) the preset maps these items to; output VAT is PowerOffice's own posting. */
const PAYMENT_ACCOUNT: Record<string, number> = { cash: 1900, card: 1910, vipps: 1911 };
const SALES_ACCOUNT: Record<string, number> = { '3': 3000, '31': 3030 };
const OUTPUT_VAT_ACCOUNT: Record<string, number> = { '3': 2700, '31': 2701 };
const CUSTOMER_RECEIVABLES = 1500;

/** øre per account (debit positive) per business date. */
export type Ledger = Map<string, Map<number, number>>;

function add(ledger: Ledger, date: string, account: number, ore: number): void {
  const day = ledger.get(date) ?? new Map<number, number>();
  day.set(account, (day.get(account) ?? 0) + ore);
  ledger.set(date, day);
}

/**
 * The general ledger the given Z-reports and invoices must produce, derived from the events alone:
 * payments debit their accounts, sales credit the sales account with the net and the output VAT
 * account with the VAT, invoices debit customer receivables with the gross.
 */
export function impliedLedger(zReports: readonly ZReportClosed[], invoices: readonly InvoicePosted[]): Ledger {
  const ledger: Ledger = new Map();
  for (const z of zReports) {
    for (const p of z.payments) add(ledger, z.businessDate, PAYMENT_ACCOUNT[p.method]!, p.amount);
    for (const s of z.sales) {
      add(ledger, z.businessDate, SALES_ACCOUNT[s.vatCode]!, -s.netAmount);
      add(ledger, z.businessDate, OUTPUT_VAT_ACCOUNT[s.vatCode]!, -s.vatAmount);
    }
  }
  for (const inv of invoices) {
    add(ledger, inv.invoiceDate, CUSTOMER_RECEIVABLES, inv.totals.gross);
    for (const l of inv.lines) {
      add(ledger, inv.invoiceDate, SALES_ACCOUNT[l.vatCode]!, -l.netAmount);
      add(ledger, inv.invoiceDate, OUTPUT_VAT_ACCOUNT[l.vatCode]!, -l.vatAmount);
    }
  }
  for (const day of ledger.values()) for (const [account, ore] of day) if (ore === 0) day.delete(account);
  return ledger;
}

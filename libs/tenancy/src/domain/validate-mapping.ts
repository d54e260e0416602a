import { AccountMapping, MappedAccount, PaymentMethod } from '../account-mapping';
import { ReferenceData, standardVatSide, VatSide } from './reference-data';

/**
 * Checks an account mapping against the tenant's PowerOffice chart of accounts, VAT codes and
 * departments, before anything is posted with it. Pure: the same rules serve `setMapping` (reject
 * and say why), `checkMapping` (report only) and the console's dry run.
 *
 * Every problem is returned, not the first: an accountant fixing a mapping wants the whole list.
 */

export type MappingRule =
  | 'invalid'
  | 'unknownAccount'
  | 'inactiveAccount'
  | 'vatLocked'
  | 'controlAccount'
  | 'projectRequired'
  | 'departmentRequired'
  | 'unknownVatCode'
  | 'inactiveVatCode'
  | 'purchaseVatOnSales'
  | 'notASalesVatCode'
  | 'unknownDepartment'
  | 'inactiveDepartment';

export interface MappingProblem {
  /** Where in the mapping, e.g. `sales.33`, `payments.card`, `departments.01`. */
  key: string;
  /** The PowerOffice account number involved, when there is one. */
  account: number | null;
  /** What is wrong, in words for the accountant (no key or account prefix; see formatMappingProblem). */
  problem: string;
  rule: MappingRule;
}

/** `sales.33 → 3050: account 3050 is inactive in PowerOffice` */
export function formatMappingProblem(p: MappingProblem): string {
  return `${p.key}${p.account === null ? '' : ` → ${p.account}`}: ${p.problem}`;
}

export const PAYMENT_METHODS: readonly PaymentMethod[] = [
  'cash',
  'card',
  'vipps',
  'giftCard',
  'creditNote',
  'pantSlip',
  'invoice',
  'other',
];
const BALANCE_ITEMS = ['giftCardsSold', 'tips', 'rounding', 'cashDifference'] as const;

/** How a mapped line is posted, which decides the VAT rules that apply to it. */
type LineKind = 'revenue' | 'other';

interface Entry {
  key: string;
  kind: LineKind;
  /** For revenue lines: the SAF-T code the entry is keyed by. */
  keyVatCode?: string;
  value: unknown;
}

/** Every account-carrying entry of a mapping, with its key path. */
function entriesOf(mapping: AccountMapping, problems: MappingProblem[]): Entry[] {
  const entries: Entry[] = [];
  const record = (key: string, value: unknown): Record<string, unknown> | null => {
    if (value === undefined || value === null) return null;
    if (typeof value !== 'object' || Array.isArray(value)) {
      problems.push({ key, account: null, problem: 'must be an object', rule: 'invalid' });
      return null;
    }
    return value as Record<string, unknown>;
  };

  const payments = record('payments', mapping.payments);
  if (mapping.payments === undefined || mapping.payments === null) {
    problems.push({
      key: 'payments',
      account: null,
      problem: 'is required (one account per payment method)',
      rule: 'invalid',
    });
  }
  for (const [method, value] of Object.entries(payments ?? {})) {
    if (!(PAYMENT_METHODS as readonly string[]).includes(method)) {
      problems.push({
        key: `payments.${method}`,
        account: null,
        problem: `"${method}" is not a payment method (expected one of ${PAYMENT_METHODS.join(', ')})`,
        rule: 'invalid',
      });
      continue;
    }
    entries.push({ key: `payments.${method}`, kind: 'other', value });
  }

  const sales = record('sales', mapping.sales);
  if (mapping.sales === undefined || mapping.sales === null) {
    problems.push({
      key: 'sales',
      account: null,
      problem: 'is required (one account per sales VAT code)',
      rule: 'invalid',
    });
  }
  for (const [code, value] of Object.entries(sales ?? {})) {
    entries.push({ key: `sales.${code}`, kind: 'revenue', keyVatCode: code, value });
  }
  for (const [code, value] of Object.entries(record('invoiceSales', mapping.invoiceSales) ?? {})) {
    entries.push({ key: `invoiceSales.${code}`, kind: 'revenue', keyVatCode: code, value });
  }
  for (const [group, byCode] of Object.entries(record('salesByArticleGroup', mapping.salesByArticleGroup) ?? {})) {
    for (const [code, value] of Object.entries(record(`salesByArticleGroup.${group}`, byCode) ?? {})) {
      entries.push({ key: `salesByArticleGroup.${group}.${code}`, kind: 'revenue', keyVatCode: code, value });
    }
  }
  for (const item of BALANCE_ITEMS) {
    if (mapping[item] !== undefined && mapping[item] !== null)
      entries.push({ key: item, kind: 'other', value: mapping[item] });
  }
  return entries;
}

function asMappedAccount(entry: Entry, problems: MappingProblem[]): MappedAccount | null {
  const v = entry.value;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    problems.push({ key: entry.key, account: null, problem: 'must be {account, vatCode?}', rule: 'invalid' });
    return null;
  }
  const { account, vatCode } = v as Record<string, unknown>;
  if (typeof account !== 'number' || !Number.isSafeInteger(account) || account <= 0) {
    problems.push({
      key: entry.key,
      account: null,
      problem: `account must be a positive whole account number, got ${JSON.stringify(account)}`,
      rule: 'invalid',
    });
    return null;
  }
  if (vatCode !== undefined && (typeof vatCode !== 'string' || vatCode.trim() === '')) {
    problems.push({
      key: entry.key,
      account,
      problem: `vatCode must be a VAT code string such as "3", got ${JSON.stringify(vatCode)}`,
      rule: 'invalid',
    });
    return null;
  }
  return { account, vatCode: vatCode as string | undefined };
}

function sideOf(code: string, ref: ReferenceData): VatSide {
  return ref.vatCodes[code]?.side ?? standardVatSide(code);
}

export function validateMapping(mapping: AccountMapping, ref: ReferenceData): MappingProblem[] {
  const problems: MappingProblem[] = [];
  if (typeof mapping !== 'object' || mapping === null || Array.isArray(mapping)) {
    return [{ key: '(mapping)', account: null, problem: 'must be an object with payments and sales', rule: 'invalid' }];
  }

  // Sub-ledger control accounts (1500 customers, 2400 suppliers …) only take postings through the sub-ledger.
  const controlAccounts = new Map<number, string>();
  for (const s of ref.numberSeries) if (s.ledgerAccountNo !== null) controlAccounts.set(s.ledgerAccountNo, s.name);
  const mapsDepartments = Object.keys(mapping.departments ?? {}).length > 0;

  for (const entry of entriesOf(mapping, problems)) {
    const mapped = asMappedAccount(entry, problems);
    if (!mapped) continue;
    const { account: no } = mapped;
    const add = (rule: MappingRule, problem: string) => problems.push({ key: entry.key, account: no, problem, rule });

    // The VAT code the line will carry: revenue lines are keyed by it; other lines default to "0".
    let vatCode: string;
    if (entry.kind === 'revenue') {
      vatCode = entry.keyVatCode!;
      if (mapped.vatCode !== undefined && mapped.vatCode !== vatCode) {
        add(
          'invalid',
          `vatCode "${mapped.vatCode}" contradicts the key: a revenue entry's VAT code is its key (${vatCode})`,
        );
        continue;
      }
    } else {
      vatCode = mapped.vatCode ?? '0';
    }

    const account = ref.accounts[String(no)];
    if (!account) {
      add('unknownAccount', `account ${no} does not exist in the PowerOffice chart of accounts`);
    } else {
      if (!account.active) add('inactiveAccount', `account ${no} is inactive in PowerOffice`);
      if (account.vatLocked && account.vatCode !== null && account.vatCode !== vatCode) {
        add(
          'vatLocked',
          `account ${no} is locked to VAT code ${account.vatCode} in PowerOffice, but this line would carry VAT code ${vatCode}`,
        );
      }
      if (controlAccounts.has(no)) {
        add(
          'controlAccount',
          `account ${no} is the control account of the sub-ledger series "${controlAccounts.get(no)}"; PowerOffice takes no direct postings to it`,
        );
      }
      if (account.projectRequired)
        add(
          'projectRequired',
          `account ${no} requires a project in PowerOffice; the integration posts without projects`,
        );
      if (account.departmentRequired && !mapsDepartments) {
        add(
          'departmentRequired',
          `account ${no} requires a department in PowerOffice, but the mapping maps no POS departments`,
        );
      }
    }

    const vat = ref.vatCodes[vatCode];
    if (!vat) add('unknownVatCode', `VAT code ${vatCode} does not exist in PowerOffice`);
    else if (!vat.active) add('inactiveVatCode', `VAT code ${vatCode} is inactive in PowerOffice`);

    if (entry.kind === 'revenue') {
      const side = sideOf(vatCode, ref);
      if (side === 'purchase')
        add(
          'purchaseVatOnSales',
          `VAT code ${vatCode} is a purchase (input VAT) code; a sales line needs a sales code (3, 31, 32, 33, 5, 51, 52, 6)`,
        );
      else if (side !== 'sale')
        add(
          'notASalesVatCode',
          `VAT code ${vatCode} is not a sales VAT code; a sales line needs one of 3, 31, 32, 33, 5, 51, 52, 6`,
        );
    }
  }

  for (const [posCode, poCode] of Object.entries(mapping.departments ?? {})) {
    const key = `departments.${posCode}`;
    if (typeof poCode !== 'string' || poCode.trim() === '') {
      problems.push({
        key,
        account: null,
        problem: `must be a PowerOffice department code, got ${JSON.stringify(poCode)}`,
        rule: 'invalid',
      });
      continue;
    }
    const dept = ref.departments[poCode];
    if (!dept)
      problems.push({
        key,
        account: null,
        problem: `department ${poCode} does not exist in PowerOffice`,
        rule: 'unknownDepartment',
      });
    else if (!dept.active)
      problems.push({
        key,
        account: null,
        problem: `department ${poCode} is inactive in PowerOffice`,
        rule: 'inactiveDepartment',
      });
  }

  return problems;
}

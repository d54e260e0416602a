import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { DateTime } from 'luxon';
import { formatNok, sumOre } from '../domain/money';
import { OSLO_ZONE, osloInstant, parseLocalDate, parseLocalTime } from '../domain/oslo-time';
import {
  SALES_VAT_CODES,
  type CountAndAmount,
  type ZReportClosed,
  type ZReportPayment,
  type ZReportSalesLine,
} from '../domain/z-report';
import { parseAmountToOre, parseCount } from './amount';
import { BASIC_TYPE, EVENT_Z_REPORT, normaliseBasicType, paymentMethodForSaftCode } from './codelists';
import { decodeXml } from './xml-text';

/**
 * Reader for Norwegian SAF-T Cash Register files (schema v1.00, namespace
 * urn:StandardAuditFile-Taxation-CashRegister:NO; structure in pos-domain §3–§4). It turns every
 * Z-report event into a `ZReportClosed`, so a file exported by any certified Norwegian POS can go
 * through the same settlement flow as Open One's own events (back-filling, onboarding, audits).
 */

export const SAFT_CASH_REGISTER_NAMESPACE = 'urn:StandardAuditFile-Taxation-CashRegister:NO';

export interface SaftCompany {
  /** Organisation number (`companyIdent`). */
  ident: string;
  name: string;
}

/** Figures of a SAF-T Z-report that have no field in `ZReportClosed` but are needed to check it. */
export interface SaftZReportControls {
  registerId: string;
  zNumber: number;
  eventId: string;
  /** `reportTotalCashSales/totalCashSaleAmnt` in øre; pass to `checkZReport` as a control. */
  totalCashSales: number;
}

export interface SaftCashRegisterImport {
  company: SaftCompany;
  /** In file order. */
  zReports: ZReportClosed[];
  /** `controls[i]` belongs to `zReports[i]`. */
  controls: SaftZReportControls[];
  /** Everything odd but not fatal, in words an operator can act on. */
  warnings: string[];
}

/** The file cannot be read as a SAF-T Cash Register file at all. */
export class SaftCashRegisterParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SaftCashRegisterParseError';
  }
}

/** Elements that may repeat; everything else is read as a single node. */
const REPEATING = new Set([
  'vatCodeDetail',
  'basic',
  'location',
  'cashregister',
  'event',
  'reportPayment',
  'reportCashSaleVat',
  'reportPayIn',
  'reportPayOut',
  'reportArtGroup',
  'cashtransaction',
]);

type XmlValue = string | XmlNode | XmlValue[];
interface XmlNode {
  [name: string]: XmlValue;
}

/**
 * Reads a SAF-T Cash Register file. Throws `SaftCashRegisterParseError` when the file as a whole
 * is unusable (not XML, not this schema, no company); a single Z-report that cannot be read is
 * skipped with a warning, so one broken day does not block the rest (the Z-number check will show
 * the hole).
 */
export function parseSaftCashRegister(buf: Buffer): SaftCashRegisterImport {
  let decoded: ReturnType<typeof decodeXml>;
  try {
    decoded = decodeXml(buf);
  } catch (err) {
    throw new SaftCashRegisterParseError(err instanceof Error ? err.message : String(err));
  }
  const warnings = [...decoded.warnings];
  const text = decoded.text.charCodeAt(0) === 0xfeff ? decoded.text.slice(1) : decoded.text;

  // A SAF-T file never needs a DTD; refusing one rules out entity-expansion tricks up front.
  if (/<!DOCTYPE/i.test(text))
    throw new SaftCashRegisterParseError('the file contains a DOCTYPE, which SAF-T files never do');
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    throw new SaftCashRegisterParseError(`not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`);
  }
  checkRootNamespace(text, warnings);

  const parser = new XMLParser({
    ignoreAttributes: true,
    removeNSPrefix: true,
    // Keep every value as text: "0.00", "04" and "001" must not become numbers.
    parseTagValue: false,
    trimValues: true,
    ignoreDeclaration: true,
    ignorePiTags: true,
    isArray: (name) => REPEATING.has(name),
  });
  const root = asNode(parser.parse(text)['auditfile']);
  if (!root) throw new SaftCashRegisterParseError('the root element is not <auditfile>');

  const header = asNode(root['header']);
  const companyNode = asNode(root['company']);
  if (!companyNode) throw new SaftCashRegisterParseError('the file has no <company>');
  const company: SaftCompany = {
    ident: requiredText(companyNode, 'companyIdent', 'company'),
    name: requiredText(companyNode, 'companyName', 'company'),
  };

  // The contract (and PowerOffice settlement) is NOK only; a file in another currency has nothing
  // that could be posted, so it is refused as a whole rather than converted.
  const currency = (header && textOf(header, 'curCode')) ?? 'NOK';
  if (currency !== 'NOK')
    throw new SaftCashRegisterParseError(`the file's currency is ${currency}; settlements are NOK only`);

  const file: FileContext = {
    basics: readBasics(companyNode),
    vatCodes: readVatCodes(companyNode, warnings),
    warnings,
  };

  const zReports: ZReportClosed[] = [];
  const controls: SaftZReportControls[] = [];
  const seen = new Set<string>();
  for (const location of nodes(companyNode, 'location')) {
    for (const register of nodes(location, 'cashregister')) {
      const containerRegisterId = textOf(register, 'registerID') ?? '';
      for (const event of nodes(register, 'event')) {
        const read = readZEvent(event, containerRegisterId, file);
        if (!read) continue;
        const key = `${read.report.registerId}|${read.report.zNumber}`;
        if (seen.has(key)) {
          warnings.push(
            `Z ${read.report.zNumber} of register ${read.report.registerId} occurs more than once in the file`,
          );
        }
        seen.add(key);
        zReports.push(read.report);
        controls.push(read.controls);
      }
    }
  }
  if (zReports.length === 0) warnings.push('the file contains no Z-report');

  return { company, zReports, controls, warnings };
}

interface Basic {
  predefined?: string;
  description?: string;
}

interface VatCodeDetail {
  dateOfEntry: string;
  standardVatCode: string;
}

interface FileContext {
  /** `${basicType}|${basicID}` → the basic. */
  basics: Map<string, Basic>;
  /** POS VAT code → its details, oldest first. */
  vatCodes: Map<string, VatCodeDetail[]>;
  warnings: string[];
}

function readBasics(company: XmlNode): Map<string, Basic> {
  const basics = new Map<string, Basic>();
  for (const b of nodes(asNode(company['basics']), 'basic')) {
    const type = textOf(b, 'basicType');
    const id = textOf(b, 'basicID');
    if (type === undefined || id === undefined) continue;
    const basic: Basic = {};
    const predefined = textOf(b, 'predefinedBasicID');
    const description = textOf(b, 'basicDesc');
    if (predefined !== undefined) basic.predefined = predefined;
    if (description !== undefined) basic.description = description;
    basics.set(`${normaliseBasicType(type)}|${id}`, basic);
  }
  return basics;
}

function readVatCodes(company: XmlNode, warnings: string[]): Map<string, VatCodeDetail[]> {
  const codes = new Map<string, VatCodeDetail[]>();
  for (const d of nodes(asNode(company['vatCodeDetails']), 'vatCodeDetail')) {
    const code = textOf(d, 'vatCode');
    const standardVatCode = textOf(d, 'standardVatCode');
    if (code === undefined || standardVatCode === undefined) continue;
    const list = codes.get(code) ?? [];
    list.push({ dateOfEntry: textOf(d, 'dateOfEntry') ?? '0000-00-00', standardVatCode });
    codes.set(code, list);
    // The official example maps its 0 % code to standard code 0 (a purchase code). Kept as the file
    // says — the mapping is the POS's statement — but flagged: sales cannot be posted under it.
    if (!SALES_VAT_CODES.has(standardVatCode)) {
      warnings.push(
        `POS VAT code ${code} maps to SAF-T standard code ${standardVatCode}, which is not a sales code; ` +
          `zero-rated sales should use 5 (or 52 export, 6 outside the VAT act)`,
      );
    }
  }
  for (const list of codes.values())
    list.sort((a, b) => (a.dateOfEntry < b.dateOfEntry ? -1 : a.dateOfEntry > b.dateOfEntry ? 1 : 0));
  return codes;
}

function readZEvent(
  event: XmlNode,
  containerRegisterId: string,
  file: FileContext,
): { report: ZReportClosed; controls: SaftZReportControls } | undefined {
  const eventId = textOf(event, 'eventID') ?? '?';
  const eventType = textOf(event, 'eventType') ?? '';
  const predefined = file.basics.get(`${BASIC_TYPE.event}|${eventType}`)?.predefined;
  const body = asNode(event['eventReport']);
  const reportType = body ? textOf(body, 'reportType') : undefined;
  const where = `event ${eventId} on register ${containerRegisterId}`;

  const isZEvent = predefined === EVENT_Z_REPORT;
  if (!isZEvent && reportType !== 'Z report') return undefined;
  if (!isZEvent) {
    file.warnings.push(
      `${where} carries a Z report but its type ${eventType} is not mapped to ${EVENT_Z_REPORT}; skipped`,
    );
    return undefined;
  }
  if (!body || reportType !== 'Z report') {
    file.warnings.push(`${where} is a Z-report event (${EVENT_Z_REPORT}) without a Z report body; skipped`);
    return undefined;
  }

  try {
    return readZReport(body, containerRegisterId, eventId, file);
  } catch (err) {
    file.warnings.push(`${where}: Z report skipped, ${err instanceof Error ? err.message : String(err)}`);
    return undefined;
  }
}

function readZReport(
  body: XmlNode,
  containerRegisterId: string,
  eventId: string,
  file: FileContext,
): { report: ZReportClosed; controls: SaftZReportControls } {
  const warn = (w: string) => file.warnings.push(w);

  const reportRegisterId = textOf(body, 'registerID');
  const registerId = reportRegisterId ?? containerRegisterId;
  if (!registerId) throw new Error('no registerID');
  if (reportRegisterId !== undefined && containerRegisterId && reportRegisterId !== containerRegisterId) {
    warn(
      `Z report in event ${eventId} names register ${reportRegisterId} inside register ${containerRegisterId}; ${reportRegisterId} is used`,
    );
  }

  const reportId = requiredText(body, 'reportID', 'eventReport');
  if (!/^\d+$/.test(reportId)) throw new Error(`reportID ${reportId} is not a Z number`);
  const zNumber = Number(reportId);
  const label = `Z ${zNumber} of register ${registerId}`;

  // SAF-T has no business date; the report date is the closest. A Z run after midnight carries the
  // next calendar day — the POS event (Open One) is the authority there.
  const businessDate = requiredText(body, 'reportDate', 'eventReport');
  parseLocalDate(businessDate);
  const closedAt = closingInstant(businessDate, requiredText(body, 'reportTime', 'eventReport'));

  const sales = readSales(body, businessDate, label, file);
  const payments = readPayments(body, label, file);
  const salesGross = sumOre(sales.map((s) => s.grossAmount));

  const totalCashSales = amount(asNode(body['reportTotalCashSales']), 'totalCashSaleAmnt', 'reportTotalCashSales');
  if (totalCashSales !== salesGross) {
    warn(`${label}: total cash sales ${formatNok(totalCashSales)} ≠ sales per VAT rate ${formatNok(salesGross)}`);
  }

  const tipNode = asNode(body['reportTip']);
  const tips = tipNode ? countAmount(tipNode, 'tipNum', 'tipAmnt') : undefined;

  const giftCardsSold = readPayIns(body, label, file);
  for (const p of nodes(asNode(body['reportPayOuts']), 'reportPayOut')) {
    const out = amount(p, 'payOutAmnt', 'reportPayOut');
    if (out !== 0)
      warn(
        `${label}: pay-out "${textOf(p, 'payOutType') ?? ''}" ${formatNok(out)} is not part of the settlement voucher`,
      );
  }

  // pos-domain §3: the Z has no rounding field; rounding = Σ payments − (total cash sales +
  // non-sale receipts + tips). Against the reported total (not the VAT lines), so an inconsistent
  // file fails the payment identity instead of hiding its error in a rounding line.
  const nonInvoicePayments = sumOre(payments.filter((p) => p.method !== 'invoice').map((p) => p.amount));
  const rounding = nonInvoicePayments - (totalCashSales + giftCardsSold.nonSaleReceipts + (tips?.amount ?? 0));
  const receipts = count(body, 'reportReceiptNum') + count(body, 'reportReturnNum');
  if (Math.abs(rounding) > 50 * Math.max(1, receipts)) {
    warn(
      `${label}: derived rounding ${formatNok(rounding)} is more than rounding ${Math.max(1, receipts)} receipt(s) to whole kroner ` +
        `can produce; payments and sales probably disagree`,
    );
  }

  const report: ZReportClosed = {
    registerId,
    zNumber,
    businessDate,
    closedAt,
    currency: 'NOK',
    sales,
    payments,
    rounding,
    returns: countAmount(body, 'reportReturnNum', 'reportReturnAmnt'),
    discounts: countAmount(body, 'reportDiscountNum', 'reportDiscountAmnt'),
    voids: countAmount(body, 'reportVoidTransNum', 'reportVoidTransAmnt'),
    grandTotals: {
      sales: amount(body, 'reportGrandTotalSales', 'eventReport'),
      returns: amount(body, 'reportGrandTotalReturn', 'eventReport'),
      net: amount(body, 'reportGrandTotalSalesNet', 'eventReport'),
    },
  };
  if (giftCardsSold.giftCards) report.giftCardsSold = giftCardsSold.giftCards;
  if (tips) report.tips = tips;
  const credit = asNode(body['reportCreditSales']);
  if (credit) report.creditSales = countAmount(credit, 'creditSalesNum', 'creditSalesAmnt');

  return { report, controls: { registerId, zNumber, eventId, totalCashSales } };
}

/** `reportDate` + `reportTime` (Oslo wall clock unless the time carries an offset) → RFC 3339. */
function closingInstant(date: string, time: string): string {
  const m = /^(\d{2}:\d{2}:\d{2})(?:\.\d+)?(Z|[+-]\d{2}:\d{2})?$/.exec(time.trim());
  if (!m) throw new Error(`reportTime ${time} is not a time`);
  const instant = m[2]
    ? DateTime.fromISO(`${date}T${m[1]}${m[2]}`, { setZone: true }).setZone(OSLO_ZONE)
    : osloInstant(parseLocalDate(date), parseLocalTime(m[1]!));
  if (!instant.isValid) throw new Error(`reportDate/reportTime ${date} ${time} is not a time`);
  return instant.toISO({ suppressMilliseconds: true })!;
}

function readSales(body: XmlNode, reportDate: string, label: string, file: FileContext): ZReportSalesLine[] {
  const sales: ZReportSalesLine[] = [];
  for (const v of nodes(asNode(body['reportCashSalesVat']), 'reportCashSaleVat')) {
    const posCode = textOf(v, 'vatCode');
    const vatRate = Number(requiredText(v, 'vatPerc', 'reportCashSaleVat'));
    if (!Number.isFinite(vatRate)) throw new Error(`vatPerc ${textOf(v, 'vatPerc')} is not a number`);
    let net = amount(v, 'cashSaleAmnt', 'reportCashSaleVat');
    let vat = amount(v, 'vatAmnt', 'reportCashSaleVat');
    // vatAmntTp D (debit) = returns outweighed sales at this rate: negative sales in the contract.
    if (textOf(v, 'vatAmntTp') === 'D' && (net > 0 || vat > 0)) {
      net = -net;
      vat = -vat;
      file.warnings.push(
        `${label}: VAT line ${posCode ?? vatRate + ' %'} is a debit (net returns); read as negative sales`,
      );
    }
    // Rates without turnover that day (the example lists all four) carry nothing to post.
    if (net === 0 && vat === 0) continue;
    if (posCode === undefined) throw new Error(`a VAT line of ${formatNok(net + vat)} has no vatCode`);
    sales.push({
      vatCode: standardVatCode(posCode, reportDate, label, file),
      vatRate,
      grossAmount: net + vat,
      netAmount: net,
      vatAmount: vat,
      // SAF-T reports no count per VAT rate.
      count: 0,
    });
  }
  return sales;
}

/** POS VAT code → SAF-T standard code valid on the report date (`vatCodeDetails`). */
function standardVatCode(posCode: string, reportDate: string, label: string, file: FileContext): string {
  const details = file.vatCodes.get(posCode);
  if (!details || details.length === 0) {
    file.warnings.push(`${label}: POS VAT code ${posCode} is not in vatCodeDetails; taken as a standard code`);
    return posCode;
  }
  const inForce = details.filter((d) => d.dateOfEntry <= reportDate);
  if (inForce.length === 0) {
    file.warnings.push(
      `${label}: POS VAT code ${posCode} has no vatCodeDetail in force on ${reportDate}; the earliest is used`,
    );
    return details[0]!.standardVatCode;
  }
  return inForce[inForce.length - 1]!.standardVatCode;
}

function readPayments(body: XmlNode, label: string, file: FileContext): ZReportPayment[] {
  const payments: ZReportPayment[] = [];
  for (const p of nodes(asNode(body['reportPayments']), 'reportPayment')) {
    const type = requiredText(p, 'paymentType', 'reportPayment');
    const paymentAmount = amount(p, 'paymentAmnt', 'reportPayment');
    const paymentCount = count(p, 'paymentNum');
    if (paymentAmount === 0 && paymentCount === 0) continue;
    const saftCode = file.basics.get(`${BASIC_TYPE.payment}|${type}`)?.predefined;
    if (saftCode === undefined) {
      file.warnings.push(`${label}: payment type ${type} has no predefined SAF-T code in basics; posted as "other"`);
    }
    const payment: ZReportPayment = {
      method: paymentMethodForSaftCode(saftCode),
      amount: paymentAmount,
      count: paymentCount,
    };
    if (saftCode !== undefined) payment.saftCode = saftCode;
    payments.push(payment);
  }
  return payments;
}

/**
 * Pay-ins are money in that is not a sale (§3, § 2-8-2 (2)). `payInType` is free text in the
 * schema, so gift-card sales/top-ups are recognised by a basics entry coded 12005 or by the words
 * "gavekort"/"gift". Any other pay-in still counts as a non-sale receipt for the rounding, and is
 * flagged: the contract has no field for it, so the payment identity will not hold.
 */
function readPayIns(
  body: XmlNode,
  label: string,
  file: FileContext,
): { giftCards?: CountAndAmount; nonSaleReceipts: number } {
  let nonSaleReceipts = 0;
  let giftCards: CountAndAmount | undefined;
  for (const p of nodes(asNode(body['reportPayIns']), 'reportPayIn')) {
    const type = textOf(p, 'payInType') ?? '';
    const payIn = amount(p, 'payInAmnt', 'reportPayIn');
    const n = count(p, 'payInNum');
    if (payIn === 0) continue;
    nonSaleReceipts += payIn;
    if (isGiftCardPayIn(type, file)) {
      giftCards = { count: (giftCards?.count ?? 0) + n, amount: (giftCards?.amount ?? 0) + payIn };
    } else {
      file.warnings.push(
        `${label}: pay-in "${type}" ${formatNok(payIn)} is not a gift-card sale and has no place in the settlement`,
      );
    }
  }
  return giftCards ? { giftCards, nonSaleReceipts } : { nonSaleReceipts };
}

function isGiftCardPayIn(type: string, file: FileContext): boolean {
  for (const [key, basic] of file.basics) {
    if (key.endsWith(`|${type}`) && (basic.predefined === '12005' || /gavekort|gift/i.test(basic.description ?? '')))
      return true;
  }
  return /gavekort|gift/i.test(type);
}

function checkRootNamespace(text: string, warnings: string[]): void {
  // The first element after the prolog (declaration, comments, processing instructions).
  const prolog = /^(?:\s|<\?[\s\S]*?\?>|<!--[\s\S]*?-->)*/.exec(text)![0].length;
  const root = /^<(?:([A-Za-z_][\w.-]*):)?([A-Za-z_][\w.-]*)([^>]*)>/.exec(text.slice(prolog));
  if (!root) throw new SaftCashRegisterParseError('the file has no root element');
  const namespaces = [...root[3]!.matchAll(/xmlns(?::[\w.-]+)?\s*=\s*["']([^"']*)["']/g)].map((m) => m[1]!);
  if (namespaces.includes(SAFT_CASH_REGISTER_NAMESPACE) && root[2] === 'auditfile') return;
  const other = namespaces.find(
    (ns) => ns.startsWith('urn:StandardAuditFile-Taxation') && ns !== SAFT_CASH_REGISTER_NAMESPACE,
  );
  if (other) throw new SaftCashRegisterParseError(`the file is ${other}, not a SAF-T Cash Register file`);
  if (root[2] !== 'auditfile')
    throw new SaftCashRegisterParseError(`the root element is <${root[2]}>, not <auditfile>`);
  warnings.push(
    `the root element does not declare ${SAFT_CASH_REGISTER_NAMESPACE}; read as a cash register file anyway`,
  );
}

// ——— small readers over fast-xml-parser's output ———

function asNode(value: XmlValue | undefined): XmlNode | undefined {
  if (Array.isArray(value)) return asNode(value[0]);
  return value !== undefined && typeof value === 'object' ? value : undefined;
}

function nodes(parent: XmlNode | undefined, name: string): XmlNode[] {
  const value = parent?.[name];
  if (value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.filter((v): v is XmlNode => typeof v === 'object' && !Array.isArray(v));
}

/** Text content of a child; an empty element counts as absent. */
function textOf(parent: XmlNode, name: string): string | undefined {
  const value = parent[name];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' && first !== '' ? first : undefined;
}

function requiredText(parent: XmlNode, name: string, where: string): string {
  const value = textOf(parent, name);
  if (value === undefined) throw new SaftCashRegisterParseError(`<${where}> has no <${name}>`);
  return value;
}

function amount(parent: XmlNode | undefined, name: string, where: string): number {
  if (!parent) throw new Error(`<${where}> is missing`);
  return parseAmountToOre(requiredText(parent, name, where));
}

/** Counts are informative; an absent one is 0 rather than a reason to drop the report. */
function count(parent: XmlNode, name: string): number {
  const value = textOf(parent, name);
  return value === undefined ? 0 : parseCount(value);
}

function countAmount(parent: XmlNode, countName: string, amountName: string): CountAndAmount {
  const value = textOf(parent, amountName);
  return { count: count(parent, countName), amount: value === undefined ? 0 : parseAmountToOre(value) };
}

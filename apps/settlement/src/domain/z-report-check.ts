import { formatNok, sumOre } from './money';
import { SALES_VAT_CODES, type GrandTotals, type ZReportClosed } from './z-report';

/**
 * What must hold before a Z-report is posted (pos-domain §9, contracts.md "Identities").
 *
 * Every problem carries the disagreeing numbers in øre (fields) and in NOK (the message, Norwegian
 * notation), because the person who acts on it is an accountant comparing with the printed Z.
 *
 * `severity`:
 * - `error`: posting would put wrong numbers in the books → do not post;
 * - `warning`: the voucher itself would be right, but something around it needs a look
 *   (a missing earlier Z, an out-of-order delivery, grand totals that do not add up).
 *
 * `code` is the contract error code a failure outcome should carry.
 */
export type ZReportProblem =
  | (ProblemBase<'IDENTITY_MISMATCH', 'error'> & {
      kind: 'SALES_TOTAL';
      salesGross: number;
      totalCashSales: number;
      difference: number;
    })
  | (ProblemBase<'IDENTITY_MISMATCH', 'error'> & {
      kind: 'VAT_IDENTITY';
      vatCode: string;
      net: number;
      vat: number;
      gross: number;
      /** net + vat − gross */
      difference: number;
    })
  | (ProblemBase<'IDENTITY_MISMATCH', 'error'> & {
      kind: 'SALES_VAT_CODE';
      vatCode: string;
      gross: number;
    })
  | (ProblemBase<'IDENTITY_MISMATCH', 'error'> & {
      kind: 'PAYMENT_IDENTITY';
      payments: number;
      sales: number;
      giftCardsSold: number;
      tips: number;
      rounding: number;
      /** payments − (sales + giftCardsSold + tips + rounding) */
      difference: number;
    })
  | (ProblemBase<'IDENTITY_MISMATCH', 'error'> & {
      kind: 'CASH_IDENTITY';
      counted: number;
      openingFloat: number;
      cashPayments: number;
      cashDifference: number;
      /** counted − (openingFloat + cashPayments + cashDifference) */
      difference: number;
    })
  | (ProblemBase<'IDENTITY_MISMATCH', 'warning'> & {
      kind: 'GRAND_TOTAL_INTERNAL';
      grandTotals: GrandTotals;
      /** sales − returns − net */
      difference: number;
    })
  | (ProblemBase<'IDENTITY_MISMATCH', 'warning'> & {
      kind: 'GRAND_TOTAL_CONTINUITY';
      previousNet: number;
      net: number;
      salesGross: number;
      /** (net − previousNet) − salesGross */
      difference: number;
    })
  | (ProblemBase<'Z_NUMBER_GAP', 'warning'> & {
      kind: 'Z_NUMBER_GAP';
      previousZNumber: number;
      zNumber: number;
      missingFrom: number;
      missingTo: number;
    })
  | (ProblemBase<'Z_NUMBER_GAP', 'error'> & {
      kind: 'Z_NUMBER_REPEATED';
      zNumber: number;
    })
  | (ProblemBase<'Z_NUMBER_GAP', 'warning'> & {
      kind: 'Z_NUMBER_OUT_OF_ORDER';
      previousZNumber: number;
      zNumber: number;
    });

interface ProblemBase<C extends string, S extends 'error' | 'warning'> {
  code: C;
  severity: S;
  message: string;
}

export type ZReportProblemKind = ZReportProblem['kind'];

/** What the caller knows about the register's Z-report just before this one. */
export interface PreviousZReport {
  zNumber: number;
  grandTotals?: GrandTotals;
}

/** Control totals a source may carry beside the contract fields (SAF-T `totalCashSaleAmnt`). */
export interface ZReportControls {
  totalCashSales?: number;
}

/**
 * PowerOffice derives VAT from gross, and a Z's VAT is the sum of line VATs, so net + VAT may miss
 * the gross by an øre per rate (pos-domain §8.1 "øre trap", §9 rule 5).
 */
export const VAT_TOLERANCE_ORE = 1;

/**
 * Checks one Z-report. `previous` is the register's most recent Z-report the caller already has
 * with a LOWER or EQUAL Z number (normally Z n−1); pass nothing for a register's first report.
 * Returns every problem found, errors and warnings alike; an empty list means "post it".
 */
export function checkZReport(
  report: ZReportClosed,
  previous?: PreviousZReport,
  controls: ZReportControls = {},
): ZReportProblem[] {
  const problems: ZReportProblem[] = [];
  const salesGross = sumOre(report.sales.map((s) => s.grossAmount));

  if (controls.totalCashSales !== undefined && controls.totalCashSales !== salesGross) {
    const difference = salesGross - controls.totalCashSales;
    problems.push({
      kind: 'SALES_TOTAL',
      code: 'IDENTITY_MISMATCH',
      severity: 'error',
      salesGross,
      totalCashSales: controls.totalCashSales,
      difference,
      message: `sales per VAT code ${formatNok(salesGross)} ≠ total cash sales ${formatNok(controls.totalCashSales)} (difference ${formatNok(difference)})`,
    });
  }

  problems.push(...checkVat(report));
  problems.push(...checkPayments(report, salesGross));
  problems.push(...checkCash(report));
  problems.push(...checkGrandTotals(report, previous, salesGross));
  problems.push(...checkZSequence(report, previous));
  return problems;
}

/** True when a problem list allows posting (warnings only). */
export function isPostable(problems: readonly ZReportProblem[]): boolean {
  return problems.every((p) => p.severity !== 'error');
}

function checkVat(report: ZReportClosed): ZReportProblem[] {
  // Aggregated per VAT code: article-group lines of one rate are one VAT-return figure.
  const perCode = new Map<string, { net: number; vat: number; gross: number }>();
  for (const s of report.sales) {
    const t = perCode.get(s.vatCode) ?? { net: 0, vat: 0, gross: 0 };
    t.net += s.netAmount;
    t.vat += s.vatAmount;
    t.gross += s.grossAmount;
    perCode.set(s.vatCode, t);
  }

  const problems: ZReportProblem[] = [];
  for (const [vatCode, t] of perCode) {
    const difference = t.net + t.vat - t.gross;
    if (Math.abs(difference) > VAT_TOLERANCE_ORE) {
      problems.push({
        kind: 'VAT_IDENTITY',
        code: 'IDENTITY_MISMATCH',
        severity: 'error',
        vatCode,
        ...t,
        difference,
        message:
          `VAT code ${vatCode}: net ${formatNok(t.net)} + VAT ${formatNok(t.vat)} ≠ gross ${formatNok(t.gross)} ` +
          `(difference ${formatNok(difference)}, tolerance ${formatNok(VAT_TOLERANCE_ORE)})`,
      });
    }
    // A zero line under a purchase code is noise (the SAF-T example lists one); money under it is not.
    if (!SALES_VAT_CODES.has(vatCode) && (t.gross !== 0 || t.net !== 0 || t.vat !== 0)) {
      problems.push({
        kind: 'SALES_VAT_CODE',
        code: 'IDENTITY_MISMATCH',
        severity: 'error',
        vatCode,
        gross: t.gross,
        message: `sales ${formatNok(t.gross)} carry VAT code ${vatCode}, which is not a sales VAT code (use 3, 31, 33, 5, 6 …)`,
      });
    }
  }
  return problems;
}

function checkPayments(report: ZReportClosed, salesGross: number): ZReportProblem[] {
  // `invoice` is a sale on account: it goes through the invoice flow, together with its sale.
  const payments = sumOre(report.payments.filter((p) => p.method !== 'invoice').map((p) => p.amount));
  const giftCardsSold = report.giftCardsSold?.amount ?? 0;
  const tips = report.tips?.amount ?? 0;
  const rounding = report.rounding ?? 0;
  const difference = payments - (salesGross + giftCardsSold + tips + rounding);
  if (difference === 0) return [];
  return [
    {
      kind: 'PAYMENT_IDENTITY',
      code: 'IDENTITY_MISMATCH',
      severity: 'error',
      payments,
      sales: salesGross,
      giftCardsSold,
      tips,
      rounding,
      difference,
      message:
        `payments ${formatNok(payments)} ≠ sales ${formatNok(salesGross)} + gift cards ${formatNok(giftCardsSold)} + ` +
        `tips ${formatNok(tips)} + rounding ${formatNok(rounding)} (difference ${formatNok(difference)})`,
    },
  ];
}

function checkCash(report: ZReportClosed): ZReportProblem[] {
  if (!report.cash) return [];
  const { openingFloat, counted, difference: cashDifference } = report.cash;
  const cashPayments = sumOre(report.payments.filter((p) => p.method === 'cash').map((p) => p.amount));
  // §8.2: counted 6 530 = float 2 000 + cash 4 550 + difference (−20). The contract has no cash
  // pay-ins/pay-outs, so a till that has them must net them into the difference it reports.
  const difference = counted - (openingFloat + cashPayments + cashDifference);
  if (difference === 0) return [];
  return [
    {
      kind: 'CASH_IDENTITY',
      code: 'IDENTITY_MISMATCH',
      severity: 'error',
      counted,
      openingFloat,
      cashPayments,
      cashDifference,
      difference,
      message:
        `cash counted ${formatNok(counted)} ≠ opening float ${formatNok(openingFloat)} + cash payments ${formatNok(cashPayments)} + ` +
        `cash difference ${formatNok(cashDifference)} (unexplained ${formatNok(difference)})`,
    },
  ];
}

function checkGrandTotals(
  report: ZReportClosed,
  previous: PreviousZReport | undefined,
  salesGross: number,
): ZReportProblem[] {
  const gt = report.grandTotals;
  if (!gt) return [];
  const problems: ZReportProblem[] = [];

  const internal = gt.sales - gt.returns - gt.net;
  if (internal !== 0) {
    problems.push({
      kind: 'GRAND_TOTAL_INTERNAL',
      code: 'IDENTITY_MISMATCH',
      severity: 'warning',
      grandTotals: gt,
      difference: internal,
      message:
        `grand total sales ${formatNok(gt.sales)} − returns ${formatNok(gt.returns)} ≠ net ${formatNok(gt.net)} ` +
        `(difference ${formatNok(internal)})`,
    });
  }

  // Only across consecutive Z numbers: over a gap the delta also holds the missing days' sales.
  // A warning, because the rule holds only if the POS's grand totals cover exactly the cash sales
  // (pos-domain §9 rule 6, to be confirmed with OPEN).
  if (previous?.grandTotals && previous.zNumber === report.zNumber - 1) {
    const delta = gt.net - previous.grandTotals.net;
    const difference = delta - salesGross;
    if (difference !== 0) {
      problems.push({
        kind: 'GRAND_TOTAL_CONTINUITY',
        code: 'IDENTITY_MISMATCH',
        severity: 'warning',
        previousNet: previous.grandTotals.net,
        net: gt.net,
        salesGross,
        difference,
        message:
          `grand total net ${formatNok(gt.net)} − previous ${formatNok(previous.grandTotals.net)} = ${formatNok(delta)} ` +
          `≠ sales ${formatNok(salesGross)} (difference ${formatNok(difference)})`,
      });
    }
  }
  return problems;
}

function checkZSequence(report: ZReportClosed, previous: PreviousZReport | undefined): ZReportProblem[] {
  if (!previous) return [];
  const z = report.zNumber;
  const register = report.registerId;
  if (z === previous.zNumber) {
    return [
      {
        kind: 'Z_NUMBER_REPEATED',
        code: 'Z_NUMBER_GAP',
        severity: 'error',
        zNumber: z,
        message: `Z ${z} on register ${register} has already been received; a second report with the same number is not posted again`,
      },
    ];
  }
  if (z < previous.zNumber) {
    return [
      {
        kind: 'Z_NUMBER_OUT_OF_ORDER',
        code: 'Z_NUMBER_GAP',
        severity: 'warning',
        previousZNumber: previous.zNumber,
        zNumber: z,
        message: `Z ${z} on register ${register} arrived after Z ${previous.zNumber}`,
      },
    ];
  }
  if (z > previous.zNumber + 1) {
    const missingFrom = previous.zNumber + 1;
    const missingTo = z - 1;
    const range = missingFrom === missingTo ? `Z ${missingFrom} is` : `Z ${missingFrom}–${missingTo} are`;
    return [
      {
        kind: 'Z_NUMBER_GAP',
        code: 'Z_NUMBER_GAP',
        severity: 'warning',
        previousZNumber: previous.zNumber,
        zNumber: z,
        missingFrom,
        missingTo,
        message: `Z ${z} on register ${register} follows Z ${previous.zNumber}: ${range} missing`,
      },
    ];
  }
  return [];
}

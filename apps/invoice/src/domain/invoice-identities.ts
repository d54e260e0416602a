import type { InvoicePosted } from '@lib/contracts';
import { nok } from './money';

/** One way an invoice fails to add up, said so the person at the POS can find it. */
export interface IdentityProblem {
  /** `lines[2]` or `totals`. */
  where: string;
  message: string;
}

const DESCRIPTION_IN_MESSAGE = 40;

/**
 * The sums an invoice must satisfy before anything is sent, to the øre: net + VAT = gross on every
 * line and on the totals, and the lines add up to the totals. A POS that sends an invoice whose
 * parts disagree has a bug or a corrupted document; posting it would put a different amount in the
 * customer ledger than on the paper the customer holds.
 */
export function identityProblems(invoice: InvoicePosted): IdentityProblem[] {
  const problems: IdentityProblem[] = [];
  const sum = { net: 0, vat: 0, gross: 0 };
  invoice.lines.forEach((line, i) => {
    sum.net += line.netAmount;
    sum.vat += line.vatAmount;
    sum.gross += line.grossAmount;
    if (line.netAmount + line.vatAmount !== line.grossAmount) {
      problems.push({
        where: `lines[${i}]`,
        message:
          `line ${i + 1} (${quote(line.description)}): net ${nok(line.netAmount)} + VAT ${nok(line.vatAmount)} = ` +
          `${nok(line.netAmount + line.vatAmount)}, but its gross is ${nok(line.grossAmount)}`,
      });
    }
  });
  const { totals } = invoice;
  for (const part of ['net', 'vat', 'gross'] as const) {
    if (sum[part] !== totals[part]) {
      problems.push({
        where: `totals.${part}`,
        message: `the lines' ${part === 'vat' ? 'VAT' : part} adds up to ${nok(sum[part])}, but the invoice total says ${nok(totals[part])}`,
      });
    }
  }
  if (totals.net + totals.vat !== totals.gross) {
    problems.push({
      where: 'totals',
      message: `total net ${nok(totals.net)} + VAT ${nok(totals.vat)} = ${nok(totals.net + totals.vat)}, but the total gross is ${nok(totals.gross)}`,
    });
  }
  return problems;
}

function quote(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return `"${oneLine.length > DESCRIPTION_IN_MESSAGE ? `${oneLine.slice(0, DESCRIPTION_IN_MESSAGE - 1)}…` : oneLine}"`;
}

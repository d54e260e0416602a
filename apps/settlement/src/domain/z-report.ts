/**
 * The settlement domain's single seam to types owned by other libraries, so the rest of the
 * domain imports them from one place:
 * - `ZReportClosed` and its parts are the public contract (`@lib/contracts`, contracts.md);
 * - `AccountMapping` is the tenant's mapping (`@lib/tenancy`). Type-only: the domain does not load
 *   the tenancy library's runtime (Nest, TypeORM).
 */
import { SAFT_SALES_VAT_CODES } from '@lib/contracts';

export type {
  CashCount,
  CountAndAmount,
  GrandTotals,
  PaymentMethod,
  ZReportClosed,
  ZReportPayment,
  ZReportSalesLine,
} from '@lib/contracts';
export type { AccountMapping, MappedAccount } from '@lib/tenancy';

/**
 * SAF-T standard VAT codes that may stand on a SALES line (pos-domain §5, §9 rule 10) — the list
 * the contract validates `sales[].vatCode` against. 0, 1, 11, 13 … are purchase codes.
 */
export const SALES_VAT_CODES: ReadonlySet<string> = new Set<string>(SAFT_SALES_VAT_CODES);

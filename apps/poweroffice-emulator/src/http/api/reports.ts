import { Problem } from '../../domain/problem';
import { getInvoice, queryInvoices, queryLedger } from '../../domain/reports';
import { Emulator } from '../../emulator';
import { uuidId } from '../params';
import { pagedList } from '../query';
import { ok } from '../responses';
import { RouteDefinition } from '../types';

/** Reading the ledger and the invoices back. */
export function reportRoutes(emu: Emulator): RouteDefinition[] {
  const { wire } = emu;
  return [
    {
      method: 'GET',
      path: '/AccountTransactions',
      handler: (req) => {
        const q = req.query;
        const rp = q.resourceParameters();
        const fromDate = q.date('fromDate');
        const toDate = q.date('toDate');
        const missing = [fromDate === undefined ? 'fromDate' : null, toDate === undefined ? 'toDate' : null].filter(
          Boolean,
        );
        if (missing.length > 0) {
          throw new Problem(
            400,
            'Account transaction validation error(s)',
            missing.map((m) => `The ${m} field is required.`).join(' '),
          );
        }
        if (fromDate! > toDate!) {
          throw new Problem(
            400,
            'Account transaction validation error(s)',
            `fromDate ${fromDate} is after toDate ${toDate}.`,
          );
        }
        const entries = queryLedger(req.client, {
          fromDate: fromDate!,
          toDate: toDate!,
          accountNos: q.numberFilter('accountNos'),
          voucherNos: q.numberFilter('voucherNos'),
          voucherTypes: q.nameList('voucherTypes'),
          departmentCodes: q.codeFilter('departmentCodes'),
          productCodes: q.codeFilter('productCodes'),
          vatCodes: q.nameList('vatCodes'),
          createdAfter: q.dateTime('createdDateTimeOffsetGreaterThan'),
          changedAfter: q.dateTime('lastChangedDateTimeOffsetGreaterThan'),
        });
        return pagedList(entries, (e) => wire.transaction(req.client, e), rp, wire.keys('AccountTransactionDto'));
      },
    },
    {
      method: 'GET',
      path: '/OutgoingInvoices',
      handler: (req) => {
        const q = req.query;
        const rp = q.resourceParameters();
        const invoices = queryInvoices(req.client, {
          fromDate: q.date('fromDate'),
          toDate: q.date('toDate'),
          invoiceNos: q.numberFilter('invoiceNos'),
          voucherNos: q.numberFilter('voucherNos'),
          customerNos: q.numberFilter('customerNos'),
          invoiceIds: q.nameList('invoiceIds'),
          customMatchingReferences: q.nameList('customMatchingReferences'),
          departmentCodes: q.codeFilter('departmentCodes'),
          onlyUnpaid: q.bool('onlyUnpaidInvoices'),
          sentAfter: q.dateTime('sentDateTimeOffsetGreaterThan'),
          balanceChangedAfter: q.dateTime('balanceLastChangedDateTimeOffsetGreaterThan'),
        });
        q.bool('onlyCreatedByCurrentIntegration');
        return pagedList(invoices, (i) => wire.outgoingInvoice(req.client, i), rp, wire.keys('OutgoingInvoiceDto'));
      },
    },
    {
      method: 'GET',
      path: '/OutgoingInvoices/{id}',
      handler: (req) => ok(wire.outgoingInvoice(req.client, getInvoice(req.client, uuidId(req)))),
    },
  ];
}

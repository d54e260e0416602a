import { toOre } from '../../domain/money';
import { VOUCHER_POSTING_ROLES } from '../../domain/privileges';
import {
  getVoucher,
  JournalInput,
  LineInput,
  OutgoingInvoiceInput,
  postJournal,
  postOutgoingInvoice,
  reverseVoucher,
} from '../../domain/vouchers';
import { Emulator } from '../../emulator';
import { Body, date, jsonBody, numb, str } from '../body';
import { uuidId } from '../params';
import { empty, ok } from '../responses';
import { RouteDefinition } from '../types';

const ENTITY = 'Voucher';


/** A voucher line from its (schema-checked) PascalCase body; money to øre here, at the edge. */
function lineInput(line: Body): LineInput {
  return {
    accountId: numb(line, 'AccountId'),
    postingDate: date(line, 'PostingDate'),
    vatId: numb(line, 'VatId'),
    currencyAmount: toOre(numb(line, 'CurrencyAmount') ?? 0),
    currencyCode: str(line, 'CurrencyCode'),
    currencyExchangeRate: numb(line, 'CurrencyExchangeRate'),
    departmentId: numb(line, 'DepartmentId'),
    projectId: numb(line, 'ProjectId'),
    productId: numb(line, 'ProductId'),
    quantity: numb(line, 'Quantity'),
    description: str(line, 'Description'),
    echo: line,
  };
}

function journalInput(body: Body, type: JournalInput['type']): JournalInput {
  const lines = Array.isArray(body['VoucherLines']) ? (body['VoucherLines'] as Body[]) : [];
  return {
    type,
    voucherDate: date(body, 'VoucherDate')!,
    currencyCode: str(body, 'CurrencyCode') ?? 'NOK',
    description: str(body, 'Description'),
    externalImportReference: str(body, 'ExternalImportReference'),
    importedVoucherNo: numb(body, 'ImportedVoucherNo'),
    lines: lines.filter((l) => l !== null).map(lineInput),
    echo: body,
  };
}

function outgoingInvoiceInput(body: Body): OutgoingInvoiceInput {
  const lines = Array.isArray(body['OutgoingInvoiceLines']) ? (body['OutgoingInvoiceLines'] as Body[]) : [];
  const total = numb(body, 'CurrencyAmount');
  return {
    invoiceNo: str(body, 'InvoiceNo'),
    customerAccountId: numb(body, 'CustomerAccountId'),
    voucherDate: date(body, 'VoucherDate'),
    dueDate: date(body, 'DueDate'),
    cid: str(body, 'Cid'),
    currencyCode: str(body, 'CurrencyCode'),
    currencyExchangeRate: numb(body, 'CurrencyExchangeRate'),
    currencyAmount: total === null ? null : toOre(total),
    description: str(body, 'Description'),
    externalImportReference: str(body, 'ExternalImportReference'),
    importedVoucherNo: numb(body, 'ImportedVoucherNo'),
    importedOrderNo: numb(body, 'ImportedOrderNo'),
    departmentId: numb(body, 'DepartmentId'),
    customerReference: str(body, 'CustomerReference'),
    purchaseOrderReference: str(body, 'PurchaseOrderReference'),
    customMatchingReference: str(body, 'CustomMatchingReference'),
    lines: lines.filter((l) => l !== null).map(lineInput),
    echo: body,
  };
}

export function voucherRoutes(emu: Emulator): RouteDefinition[] {
  const { wire, schemas } = emu;
  return [
    {
      method: 'POST',
      path: '/Vouchers/CashJournals',
      handler: (req) => {
        const body = schemas.read('CashVoucherPostDto', jsonBody(req, ENTITY), ENTITY);
        const voucher = postJournal(req.client, journalInput(body, 'CashJournal'));
        return ok(wire.journalVoucher(voucher, 'CashVoucherDto'), 201);
      },
    },
    {
      method: 'GET',
      path: '/Vouchers/CashJournals/{id}',
      handler: (req) => ok(wire.journalVoucher(getVoucher(req.client, uuidId(req), 'CashJournals'), 'CashVoucherDto')),
    },
    {
      method: 'POST',
      path: '/Vouchers/ManualJournals',
      handler: (req) => {
        const body = schemas.read('ManualVoucherPostDto', jsonBody(req, ENTITY), ENTITY);
        const voucher = postJournal(req.client, journalInput(body, 'ManualJournal'));
        return ok(wire.journalVoucher(voucher, 'ManualVoucherDto'), 201);
      },
    },
    {
      method: 'GET',
      path: '/Vouchers/ManualJournals/{id}',
      handler: (req) =>
        ok(wire.journalVoucher(getVoucher(req.client, uuidId(req), 'ManualJournals'), 'ManualVoucherDto')),
    },
    {
      // Not in the public spec (api doc §3.5 B, §6.1): inferred path, OutgoingInvoiceVoucherDto body.
      method: 'POST',
      path: '/Vouchers/OutgoingInvoiceJournals',
      roles: ['OutgoingInvoiceVoucher_Full'],
      handler: (req) => {
        const body = schemas.read('OutgoingInvoiceVoucherDto', jsonBody(req, ENTITY), ENTITY);
        const voucher = postOutgoingInvoice(req.client, outgoingInvoiceInput(body));
        return ok(wire.outgoingInvoiceVoucher(voucher), 201);
      },
    },
    {
      method: 'GET',
      path: '/Vouchers/OutgoingInvoiceJournals/{id}',
      handler: (req) => ok(wire.outgoingInvoiceVoucher(getVoucher(req.client, uuidId(req), 'OutgoingInvoiceJournals'))),
    },
    {
      method: 'POST',
      path: '/Vouchers/Reverse/{id}',
      roles: VOUCHER_POSTING_ROLES,
      handler: (req) => {
        reverseVoucher(req.client, uuidId(req));
        return empty(202);
      },
    },
  ];
}

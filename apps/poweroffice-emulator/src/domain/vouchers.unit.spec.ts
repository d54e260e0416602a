import { createCustomer } from './customers';
import { createAccount } from './accounts';
import { createDepartment } from './departments';
import { Problem } from './problem';
import { accountId, line, ns4102Client, vatId } from './test-fixtures';
import {
  JournalInput,
  LineInput,
  OutgoingInvoiceInput,
  postJournal,
  postOutgoingInvoice,
  reverseVoucher,
} from './vouchers';

function problemOf(fn: () => unknown): Problem {
  try {
    fn();
  } catch (e) {
    if (e instanceof Problem) return e;
    throw e;
  }
  throw new Error('expected a Problem');
}

const journal = (lines: LineInput[], extra: Partial<JournalInput> = {}): JournalInput => ({
  type: 'CashJournal',
  voucherDate: '2026-03-09',
  currencyCode: 'NOK',
  description: 'Z 42',
  externalImportReference: null,
  importedVoucherNo: null,
  lines,
  echo: {},
  ...extra,
});

describe('cash journal: the SAF-T example day (pos-domain §8.1)', () => {
  it('posts, splitting VAT out of the gross sales lines to the øre', () => {
    const client = ns4102Client();
    const voucher = postJournal(
      client,
      journal([
        line(client, 1900, 29500),
        line(client, 1910, 21880),
        line(client, 7740, 40),
        line(client, 3030, -10280, '31'),
        line(client, 3000, -41140, '3'),
      ]),
    );
    expect(voucher.voucherNo).toBe(1);
    const rows = client.ledger.map((e) => [e.accountNo, e.amount, e.vatAmount, e.vatCode]);
    expect(rows).toEqual([
      [1900, 29500, 0, '0'],
      [1910, 21880, 0, '0'],
      [7740, 40, 0, '0'],
      [3030, -8939, -1341, '31'],
      [2701, -1341, 0, '31'],
      [3000, -32912, -8228, '3'],
      [2700, -8228, 0, '3'],
    ]);
    expect(client.ledger.reduce((s, e) => s + e.amount, 0)).toBe(0);
  });
});

describe('voucher validation (400 "Voucher validation error(s)")', () => {
  const reject = (
    build: (c: ReturnType<typeof ns4102Client>) => JournalInput,
    lockDate: string | null = null,
  ): Problem => {
    const client = ns4102Client({ lockDate });
    const p = problemOf(() => postJournal(client, build(client)));
    expect(p.status).toBe(400);
    expect(p.title).toBe('Voucher validation error(s)');
    expect(client.ledger).toHaveLength(0);
    return p;
  };

  it('must balance to the øre', () => {
    expect(reject((c) => journal([line(c, 1900, 10001), line(c, 3000, -10000, '3')])).detail).toBe(
      'Voucher is not balanced: the voucher lines sum to 0.01 NOK (debit +, credit −) but must sum to 0.00.',
    );
  });

  it('refuses a zero line and an empty voucher', () => {
    expect(reject((c) => journal([line(c, 1900, 0), line(c, 3000, 0, '3')])).detail).toContain(
      'Voucher line 1: CurrencyAmount must not be 0.',
    );
    expect(reject(() => journal([])).detail).toBe('The voucher has no voucher lines.');
  });

  it('needs accounts that exist and are active', () => {
    expect(reject((c) => journal([line(c, 1900, 100), { ...line(c, 3000, -100, '3'), accountId: 999 }])).detail).toBe(
      'Voucher line 2: General ledger account with id = 999 not found.',
    );
    expect(reject((c) => journal([line(c, 1900, 100), line(c, 3099, -100, '3')])).detail).toBe(
      'Voucher line 2: General ledger account 3099 is not active.',
    );
  });

  it('keeps VAT-locked accounts to their code', () => {
    expect(reject((c) => journal([line(c, 1900, 100), line(c, 3000, -100, '31')])).detail).toBe(
      'Voucher line 2: General ledger account 3000 is locked to VAT code 3; VAT code 31 is not allowed.',
    );
  });

  it('needs a VatId that exists', () => {
    expect(reject((c) => journal([line(c, 1900, 100), { ...line(c, 3900, -100, '7'), vatId: 3 }])).detail).toBe(
      'Voucher line 2: Vat code with id = 3 not found.',
    );
  });

  it('refuses direct postings to the customer-ledger control account 1500', () => {
    expect(reject((c) => journal([line(c, 1500, 100), line(c, 1900, -100)])).detail).toContain(
      'General ledger account 1500 is a sub-ledger control account and cannot be posted to directly',
    );
  });

  it('refuses posting dates on or before the lock date', () => {
    const p = reject((c) => journal([line(c, 1900, 100), line(c, 3900, -100, '7')]), '2026-03-09');
    expect(p.detail).toBe('Posting date 2026-03-09 is on or before the lock date 2026-03-09; the period is locked.');
    const client = ns4102Client({ lockDate: '2026-03-08' });
    expect(postJournal(client, journal([line(client, 1900, 100), line(client, 3900, -100, '7')])).voucherNo).toBe(1);
  });

  it('needs a department on an account that requires one, and the department must exist', () => {
    const client = ns4102Client();
    const dept = createAccount(client, {
      AccountNo: 3010,
      Name: 'Salg avdeling',
      IsActive: true,
      VatCode: '3',
      IsDepartmentRequired: true,
    });
    const lines = [line(client, 1900, 100), line(client, dept.fields.AccountNo, -100, '3')];
    expect(problemOf(() => postJournal(client, journal(lines))).detail).toBe(
      'Voucher line 2: General ledger account 3010 requires a department (DepartmentId).',
    );
    expect(
      problemOf(() => postJournal(client, journal([lines[0]!, { ...lines[1]!, departmentId: 4242 }]))).detail,
    ).toBe('Voucher line 2: Department with id = 4242 not found.');
    const shop = createDepartment(client, { Code: 'BUTIKK1', Name: 'Butikk 1', IsActive: true });
    expect(postJournal(client, journal([lines[0]!, { ...lines[1]!, departmentId: shop.id }])).lines).toHaveLength(2);
  });

  it('reports every problem at once', () => {
    const p = reject((c) => journal([line(c, 1900, 0), line(c, 3000, -100, '31')]));
    expect(p.detail).toContain('Voucher line 1: CurrencyAmount must not be 0.');
    expect(p.detail).toContain('Voucher line 2: General ledger account 3000 is locked to VAT code 3');
  });
});

describe('ExternalImportReference on vouchers', () => {
  it('is unique per client and free again after a reversal', () => {
    const client = ns4102Client();
    const z = (): JournalInput =>
      journal([line(client, 1900, 100), line(client, 3900, -100, '7')], { externalImportReference: 'Z-1-42' });
    const first = postJournal(client, z());
    expect(problemOf(() => postJournal(client, z())).detail).toBe(
      `ExternalImportReference is already in use. 'Z-1-42' is used on voucher Id = ${first.id} (VoucherNo = 1).`,
    );
    const reversal = reverseVoucher(client, first.id);
    expect(first.isReversed).toBe(true);
    expect(reversal.type).toBe('ReversalVoucher');
    expect(client.ledger.filter((e) => e.accountNo === 1900).map((e) => e.amount)).toEqual([100, -100]);
    expect(postJournal(client, z()).voucherNo).toBe(3);
    expect(problemOf(() => reverseVoucher(client, first.id)).detail).toContain('is already reversed');
  });
});

describe('outgoing invoice voucher', () => {
  const invoice = (
    client: ReturnType<typeof ns4102Client>,
    extra: Partial<OutgoingInvoiceInput> = {},
  ): OutgoingInvoiceInput => {
    const customer = client.customersByNumber.get(10000) ?? createCustomer(client, { Name: 'Kunde AS' });
    return {
      invoiceNo: '2026-001',
      customerAccountId: customer.subledgerAccountId,
      voucherDate: '2026-03-09',
      dueDate: null,
      cid: null,
      currencyCode: 'NOK',
      currencyExchangeRate: null,
      currencyAmount: 125000,
      description: null,
      externalImportReference: null,
      importedVoucherNo: null,
      importedOrderNo: null,
      departmentId: null,
      customerReference: null,
      purchaseOrderReference: null,
      customMatchingReference: null,
      lines: [line(client, 3000, 125000, '3')],
      ...extra,
    } as OutgoingInvoiceInput;
  };

  it('debits the customer ledger and credits sales net of VAT (pos-domain §8.2 credit sale)', () => {
    const client = ns4102Client();
    const voucher = postOutgoingInvoice(client, invoice(client));
    expect(voucher.type).toBe('OutgoingInvoice');
    expect(client.ledger.map((e) => [e.accountNo, e.amount, e.customerId !== null])).toEqual([
      [1500, 125000, true],
      [3000, -100000, false],
      [2700, -25000, false],
    ]);
    expect(voucher.invoice).toMatchObject({
      netAmount: 100000,
      totalAmount: 125000,
      balance: 125000,
      dueDate: '2026-03-23',
    });
  });

  it('posts a credit note from negative amounts', () => {
    const client = ns4102Client();
    const voucher = postOutgoingInvoice(
      client,
      invoice(client, { currencyAmount: -10280, lines: [line(client, 3030, -10280, '31')] }),
    );
    expect(voucher.type).toBe('OutgoingCreditNote');
    expect(client.ledger.map((e) => e.amount)).toEqual([-10280, 8939, 1341]);
  });

  it('needs a unique InvoiceNo, an existing customer account and a total equal to its lines', () => {
    const client = ns4102Client();
    const first = postOutgoingInvoice(client, invoice(client));
    expect(problemOf(() => postOutgoingInvoice(client, invoice(client))).detail).toBe(
      `InvoiceNo '2026-001' is already in use on voucher Id = ${first.id} (VoucherNo = 1).`,
    );
    const customer = client.customersByNumber.get(10000)!;
    expect(
      problemOf(() => postOutgoingInvoice(client, invoice(client, { invoiceNo: '2', customerAccountId: customer.id })))
        .detail,
    ).toContain(
      `Customer account with id = ${customer.id} not found. ${customer.id} is the customer's Id; CustomerAccountId takes its SubledgerAccountId (${customer.subledgerAccountId}).`,
    );
    expect(
      problemOf(() => postOutgoingInvoice(client, invoice(client, { invoiceNo: '3', currencyAmount: 124999 }))).detail,
    ).toBe('The invoice is not balanced: CurrencyAmount 1249.99 differs from the sum of the invoice lines 1250.00.');
    expect(problemOf(() => postOutgoingInvoice(client, invoice(client, { invoiceNo: null }))).detail).toBe(
      'InvoiceNo is required.',
    );
  });

  it('frees the InvoiceNo when reversed', () => {
    const client = ns4102Client();
    const first = postOutgoingInvoice(client, invoice(client));
    reverseVoucher(client, first.id);
    expect(first.invoice).toMatchObject({ isReversed: true, balance: 0 });
    expect(postOutgoingInvoice(client, invoice(client)).invoice?.invoiceNo).toBe('2026-001');
  });
});

describe('VAT ids', () => {
  it('differ from the codes, so sending a code as VatId fails', () => {
    const client = ns4102Client();
    expect(vatId(client, '3')).not.toBe(3);
    expect(accountId(client, 3000)).not.toBe(3000);
  });
});

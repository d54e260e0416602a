import { RunningEmulator, startEmulator } from '../src/bootstrap';
import { connect, GoApi } from './support/go-api';

let emu: RunningEmulator;

beforeAll(async () => {
  emu = await startEmulator({ port: 0, rateLimit: 0 });
});
afterAll(() => emu.close());

/** Account and VAT ids of one client, looked up through the API as a real integration does. */
async function chart(api: GoApi): Promise<{ acc: (no: number) => number; vat: (code: string) => number }> {
  const accounts = (await api.get('/GeneralLedgerAccounts')).body as Array<{ AccountNo: number; Id: number }>;
  const codes = (await api.get('/VatCodes')).body as Array<{ Code: string; Id: number }>;
  return {
    acc: (no) => accounts.find((a) => a.AccountNo === no)!.Id,
    vat: (code) => codes.find((c) => c.Code === code)!.Id,
  };
}

type Line = { AccountId: number; VatId: number; CurrencyAmount: number; PostingDate?: string; DepartmentId?: number };

const cashVoucher = (lines: Line[], extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  VoucherDate: '2026-03-09',
  CurrencyCode: 'NOK',
  Description: 'Z-rapport 42',
  VoucherLines: lines.map((l) => ({ PostingDate: '2026-03-09', ...l })),
  ...extra,
});

describe('POST /Vouchers/CashJournals', () => {
  it('201 CashVoucherDto with Id, VoucherNo and line ids; GET by id; the ledger gets net + VAT', async () => {
    const api = await connect(emu);
    const { acc, vat } = await chart(api);
    const r = await api.post(
      '/Vouchers/CashJournals',
      cashVoucher(
        [
          { AccountId: acc(1900), VatId: vat('0'), CurrencyAmount: 295 },
          { AccountId: acc(1910), VatId: vat('0'), CurrencyAmount: 218.8 },
          { AccountId: acc(7740), VatId: vat('0'), CurrencyAmount: 0.4 },
          { AccountId: acc(3030), VatId: vat('31'), CurrencyAmount: -102.8 },
          { AccountId: acc(3000), VatId: vat('3'), CurrencyAmount: -411.4 },
        ],
        { ExternalImportReference: 'till-1-z-1', ImportedVoucherNo: 1 },
      ),
    );
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      Id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      VoucherNo: 1,
      IsReversed: false,
      ExternalImportReference: 'till-1-z-1',
      ImportedVoucherNo: 1,
    });
    expect(r.body.VoucherLines).toHaveLength(5);
    expect(r.body.VoucherLines[3]).toMatchObject({ Id: expect.any(Number), CurrencyAmount: -102.8, VatId: vat('31') });

    const again = await api.get(`/Vouchers/CashJournals/${r.body.Id}`);
    expect(again.body.VoucherNo).toBe(1);
    expect((await api.get(`/Vouchers/ManualJournals/${r.body.Id}`)).status).toBe(404);

    const tx = await api.get('/AccountTransactions?fromDate=2026-03-01&toDate=2026-03-31');
    const rows = tx.body.map((t: Record<string, unknown>) => [
      t.AccountNo,
      t.Amount,
      t.VatAmount,
      t.VatCode,
      t.VoucherType,
    ]);
    expect(rows).toEqual([
      [1900, 295, 0, '0', 'CashJournal'],
      [1910, 218.8, 0, '0', 'CashJournal'],
      [7740, 0.4, 0, '0', 'CashJournal'],
      [3030, -89.39, -13.41, '31', 'CashJournal'],
      [2701, -13.41, 0, '31', 'CashJournal'],
      [3000, -329.12, -82.28, '3', 'CashJournal'],
      [2700, -82.28, 0, '3', 'CashJournal'],
    ]);
    expect(tx.body[0]).toMatchObject({
      VoucherNo: 1,
      VoucherId: r.body.Id,
      ExternalImportReference: 'till-1-z-1',
      PostingDate: '2026-03-09',
    });
    const sales = await api.get(
      '/AccountTransactions?fromDate=2026-03-01&toDate=2026-03-31&accountNos=3000-3999&voucherTypes=CashJournal',
    );
    expect(sales.body.map((t: { AccountNo: number }) => t.AccountNo)).toEqual([3030, 3000]);
    expect((await api.get('/AccountTransactions?fromDate=2026-04-01&toDate=2026-04-30')).status).toBe(204);
  });

  it('AccountTransactions needs fromDate and toDate', async () => {
    const api = await connect(emu);
    const r = await api.get('/AccountTransactions?fromDate=2026-01-01');
    expect(r.status).toBe(400);
    expect(r.body.detail).toBe('The toDate field is required.');
  });

  describe('every rule is a 400 "Voucher validation error(s)" with a clear detail', () => {
    let api: GoApi;
    let acc: (no: number) => number;
    let vat: (code: string) => number;
    beforeAll(async () => {
      api = await connect(emu, { lockDate: '2026-02-28' });
      ({ acc, vat } = await chart(api));
    });

    const expectRejected = async (body: Record<string, unknown>, detail: string): Promise<void> => {
      const r = await api.post('/Vouchers/CashJournals', body);
      expect(r.status).toBe(400);
      expect(r.body.title).toBe('Voucher validation error(s)');
      expect(r.body.detail).toBe(detail);
    };

    it('balances to the øre', () =>
      expectRejected(
        cashVoucher([
          { AccountId: acc(1900), VatId: vat('0'), CurrencyAmount: 100.01 },
          { AccountId: acc(3000), VatId: vat('3'), CurrencyAmount: -100 },
        ]),
        'Voucher is not balanced: the voucher lines sum to 0.01 NOK (debit +, credit −) but must sum to 0.00.',
      ));

    it('balances in øre even when the decimals do not add up in floating point', async () => {
      const r = await api.post(
        '/Vouchers/CashJournals',
        cashVoucher([
          { AccountId: acc(1900), VatId: vat('0'), CurrencyAmount: 0.1 },
          { AccountId: acc(1900), VatId: vat('0'), CurrencyAmount: 0.2 },
          { AccountId: acc(3900), VatId: vat('7'), CurrencyAmount: -0.3 },
        ]),
      );
      expect(r.status).toBe(201);
    });

    it('has no zero lines', () =>
      expectRejected(
        cashVoucher([
          { AccountId: acc(1900), VatId: vat('0'), CurrencyAmount: 0 },
          { AccountId: acc(1920), VatId: vat('0'), CurrencyAmount: 0 },
        ]),
        'Voucher line 1: CurrencyAmount must not be 0. Voucher line 2: CurrencyAmount must not be 0.',
      ));

    it('posts only to accounts that exist', () =>
      expectRejected(
        cashVoucher([
          { AccountId: 4242, VatId: vat('0'), CurrencyAmount: 10 },
          { AccountId: acc(3900), VatId: vat('7'), CurrencyAmount: -10 },
        ]),
        'Voucher line 1: General ledger account with id = 4242 not found.',
      ));

    it('posts only to active accounts', () =>
      expectRejected(
        cashVoucher([
          { AccountId: acc(1900), VatId: vat('0'), CurrencyAmount: 10 },
          { AccountId: acc(3099), VatId: vat('3'), CurrencyAmount: -10 },
        ]),
        'Voucher line 2: General ledger account 3099 is not active.',
      ));

    it('keeps a VAT-locked account to its code', () =>
      expectRejected(
        cashVoucher([
          { AccountId: acc(1900), VatId: vat('0'), CurrencyAmount: 10 },
          { AccountId: acc(3030), VatId: vat('3'), CurrencyAmount: -10 },
        ]),
        'Voucher line 2: General ledger account 3030 is locked to VAT code 31; VAT code 3 is not allowed.',
      ));

    it('needs a VatId that exists (the code is not the id)', () =>
      expectRejected(
        cashVoucher([
          { AccountId: acc(1900), VatId: vat('0'), CurrencyAmount: 10 },
          { AccountId: acc(3900), VatId: 7, CurrencyAmount: -10 },
        ]),
        'Voucher line 2: Vat code with id = 7 not found.',
      ));

    it('refuses direct postings on the customer-ledger control account', () =>
      expectRejected(
        cashVoucher([
          { AccountId: acc(1500), VatId: vat('0'), CurrencyAmount: 10 },
          { AccountId: acc(1900), VatId: vat('0'), CurrencyAmount: -10 },
        ]),
        "Voucher line 1: General ledger account 1500 is a sub-ledger control account and cannot be posted to directly; post to the customer's (or supplier's) SubledgerAccountId instead.",
      ));

    it('refuses posting dates on or before the lock date', () =>
      expectRejected(
        cashVoucher(
          [
            { AccountId: acc(1900), VatId: vat('0'), CurrencyAmount: 10, PostingDate: '2026-02-28' },
            { AccountId: acc(3900), VatId: vat('7'), CurrencyAmount: -10, PostingDate: '2026-02-28' },
          ],
          { VoucherDate: '2026-02-28' },
        ),
        'Posting date 2026-02-28 is on or before the lock date 2026-02-28; the period is locked.',
      ));

    it('needs a department on an account that requires one, and only known departments', async () => {
      await api.post('/GeneralLedgerAccounts', {
        AccountNo: 3011,
        Name: 'Salg per butikk',
        IsActive: true,
        VatCode: '3',
        IsVatCodeLocked: true,
        IsDepartmentRequired: true,
      });
      const sales = await api.accountId(3011);
      await expectRejected(
        cashVoucher([
          { AccountId: acc(1900), VatId: vat('0'), CurrencyAmount: 10 },
          { AccountId: sales, VatId: vat('3'), CurrencyAmount: -10 },
        ]),
        'Voucher line 2: General ledger account 3011 requires a department (DepartmentId).',
      );
      await expectRejected(
        cashVoucher([
          { AccountId: acc(1900), VatId: vat('0'), CurrencyAmount: 10 },
          { AccountId: sales, VatId: vat('3'), CurrencyAmount: -10, DepartmentId: 777 },
        ]),
        'Voucher line 2: Department with id = 777 not found.',
      );
      const dept = (await api.post('/Departments', { Code: 'B1', Name: 'Butikk 1', IsActive: true })).body;
      const ok = await api.post(
        '/Vouchers/CashJournals',
        cashVoucher([
          { AccountId: acc(1900), VatId: vat('0'), CurrencyAmount: 10 },
          { AccountId: sales, VatId: vat('3'), CurrencyAmount: -10, DepartmentId: dept.Id },
        ]),
      );
      expect(ok.status).toBe(201);
      const rows = await api.get('/AccountTransactions?fromDate=2026-03-09&toDate=2026-03-09&departmentCodes=B1');
      expect(
        rows.body.map((t: { AccountNo: number; DepartmentCode: string }) => [t.AccountNo, t.DepartmentCode]),
      ).toEqual([
        [3011, 'B1'],
        [2700, 'B1'],
      ]);
    });

    it('keeps ExternalImportReference unique until the voucher is reversed (202), then frees it', async () => {
      const body = cashVoucher(
        [
          { AccountId: acc(1900), VatId: vat('0'), CurrencyAmount: 50 },
          { AccountId: acc(3000), VatId: vat('3'), CurrencyAmount: -50 },
        ],
        { ExternalImportReference: 'z-77' },
      );
      const first = await api.post('/Vouchers/CashJournals', body);
      expect(first.status).toBe(201);
      await expectRejected(
        body,
        `ExternalImportReference is already in use. 'z-77' is used on voucher Id = ${first.body.Id} (VoucherNo = ${first.body.VoucherNo}).`,
      );
      const reversed = await api.post(`/Vouchers/Reverse/${first.body.Id}`);
      expect(reversed.status).toBe(202);
      expect(reversed.text).toBe('');
      expect((await api.get(`/Vouchers/CashJournals/${first.body.Id}`)).body.IsReversed).toBe(true);
      expect((await api.post('/Vouchers/CashJournals', body)).status).toBe(201);
      const again = await api.post(`/Vouchers/Reverse/${first.body.Id}`);
      expect(again.status).toBe(400);
      expect(again.body.detail).toContain('is already reversed');
      expect((await api.post('/Vouchers/Reverse/00000000-0000-4000-8000-000000000000')).status).toBe(404);
      const reversalRows = await api.get(
        '/AccountTransactions?fromDate=2026-03-09&toDate=2026-03-09&voucherTypes=ReversalVoucher',
      );
      expect(reversalRows.body.map((t: { Amount: number }) => t.Amount)).toEqual([-50, 40, 10]);
    });
  });

  it('POST /Vouchers/ManualJournals → 201 ManualVoucherDto', async () => {
    const api = await connect(emu);
    const { acc, vat } = await chart(api);
    const r = await api.post('/Vouchers/ManualJournals', {
      VoucherDate: '2026-03-10',
      CurrencyCode: 'NOK',
      VoucherLines: [
        { AccountId: acc(1920), VatId: vat('0'), CurrencyAmount: 8870, PostingDate: '2026-03-10' },
        { AccountId: acc(7770), VatId: vat('0'), CurrencyAmount: 130, PostingDate: '2026-03-10' },
        { AccountId: acc(1910), VatId: vat('0'), CurrencyAmount: -9000, PostingDate: '2026-03-10' },
      ],
    });
    expect(r.status).toBe(201);
    expect((await api.get(`/Vouchers/ManualJournals/${r.body.Id}`)).body.VoucherLines).toHaveLength(3);
    const tx = await api.get('/AccountTransactions?fromDate=2026-03-10&toDate=2026-03-10');
    expect(tx.body.every((t: { VoucherType: string }) => t.VoucherType === 'ManualJournal')).toBe(true);
  });
});

describe('POST /Vouchers/OutgoingInvoiceJournals (inferred endpoint)', () => {
  it('posts an invoice the POS issued: Dr customer ledger, Cr sales net + VAT; readable as an OutgoingInvoice', async () => {
    const api = await connect(emu);
    const { acc, vat } = await chart(api);
    const customer = (await api.post('/Customers', { Name: 'Kreditt AS' })).body;
    const r = await api.post('/Vouchers/OutgoingInvoiceJournals', {
      InvoiceNo: '5001',
      CustomerAccountId: customer.SubledgerAccountId,
      VoucherDate: '2026-03-09',
      DueDate: '2026-03-23',
      Cid: '0000500117',
      CurrencyCode: 'NOK',
      CurrencyAmount: 1250,
      ExternalImportReference: 'inv-5001',
      OutgoingInvoiceLines: [
        { AccountId: acc(3000), VatId: vat('3'), CurrencyAmount: 1250, Quantity: 1, Description: 'Catering' },
      ],
    });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      Id: expect.any(String),
      VoucherNo: expect.any(Number),
      InvoiceNo: '5001',
      CurrencyAmount: 1250,
    });
    expect((await api.get(`/Vouchers/OutgoingInvoiceJournals/${r.body.Id}`)).body.InvoiceNo).toBe('5001');

    const tx = await api.get('/AccountTransactions?fromDate=2026-03-09&toDate=2026-03-09&voucherTypes=OutgoingInvoice');
    expect(tx.body.map((t: Record<string, unknown>) => [t.AccountNo, t.Amount, t.CustomerAccountNo])).toEqual([
      [1500, 1250, customer.Number],
      [3000, -1000, null],
      [2700, -250, null],
    ]);
    const invoices = await api.get('/OutgoingInvoices?fromDate=2026-03-01&toDate=2026-03-31&invoiceNos=5000-5999');
    expect(invoices.body).toEqual([
      expect.objectContaining({
        Id: r.body.Id,
        InvoiceNo: 5001,
        CustomerNo: customer.Number,
        NetAmount: 1000,
        TotalAmount: 1250,
        Balance: 1250,
        VoucherType: 'OutgoingInvoice',
        Cid: '0000500117',
      }),
    ]);
    expect((await api.get(`/OutgoingInvoices/${r.body.Id}`)).body.InvoiceNo).toBe(5001);
  });

  it('rejects a duplicate InvoiceNo, a customer Id instead of its SubledgerAccountId, and an unbalanced total', async () => {
    const api = await connect(emu);
    const { acc, vat } = await chart(api);
    const customer = (await api.post('/Customers', { Name: 'Kreditt AS' })).body;
    const invoice = (extra: Record<string, unknown>): Record<string, unknown> => ({
      InvoiceNo: '1',
      CustomerAccountId: customer.SubledgerAccountId,
      VoucherDate: '2026-03-09',
      CurrencyCode: 'NOK',
      CurrencyAmount: 100,
      OutgoingInvoiceLines: [{ AccountId: acc(3000), VatId: vat('3'), CurrencyAmount: 100 }],
      ...extra,
    });
    expect((await api.post('/Vouchers/OutgoingInvoiceJournals', invoice({}))).status).toBe(201);
    expect((await api.post('/Vouchers/OutgoingInvoiceJournals', invoice({}))).body.detail).toContain(
      "InvoiceNo '1' is already in use",
    );
    expect(
      (await api.post('/Vouchers/OutgoingInvoiceJournals', invoice({ InvoiceNo: '2', CustomerAccountId: customer.Id })))
        .body.detail,
    ).toContain(`Customer account with id = ${customer.Id} not found.`);
    expect(
      (await api.post('/Vouchers/OutgoingInvoiceJournals', invoice({ InvoiceNo: '3', CurrencyAmount: 99.99 }))).body
        .detail,
    ).toBe('The invoice is not balanced: CurrencyAmount 99.99 differs from the sum of the invoice lines 100.00.');
    const credit = await api.post(
      '/Vouchers/OutgoingInvoiceJournals',
      invoice({
        InvoiceNo: '4',
        CurrencyAmount: -100,
        OutgoingInvoiceLines: [{ AccountId: acc(3000), VatId: vat('3'), CurrencyAmount: -100 }],
      }),
    );
    expect(credit.status).toBe(201);
    expect((await api.get(`/OutgoingInvoices/${credit.body.Id}`)).body).toMatchObject({
      VoucherType: 'OutgoingCreditNote',
      TotalAmount: -100,
      NetAmount: -80,
    });
  });

  it('needs OutgoingInvoiceVoucher_Full', async () => {
    const api = await connect(emu, { privileges: ['CashVoucher_Full'] });
    expect((await api.post('/Vouchers/OutgoingInvoiceJournals', {})).status).toBe(403);
  });
});

import { EmulatorFixture, startEmulatorFixture } from '../../test-support/emulator';
import { PowerOfficeClient } from '../client';
import { GeneralLedgerAccount, VatCode } from './accounting-settings';

/** Contract tests: every resource against the emulator (which is tested against the OpenAPI file). */
describe('PowerOffice resources against the emulator', () => {
  let fx: EmulatorFixture;
  let api: PowerOfficeClient;
  let clientKey: string;
  let accounts: Map<number, GeneralLedgerAccount>;
  let vat: Map<string, VatCode>;

  beforeAll(async () => {
    fx = await startEmulatorFixture();
    ({ api, clientKey } = await fx.tenant());
    accounts = new Map(
      (await api.generalLedgerAccounts.listByAccountNos([1500, 1900, 1910, 3000, 3030])).map((a) => [a.accountNo, a]),
    );
    vat = new Map((await api.vatCodes.listAll()).map((v) => [v.code!, v]));
  });
  afterAll(async () => {
    await fx.close();
  });

  const acc = (no: number) => accounts.get(no)!.id;
  const vatId = (code: string) => vat.get(code)!.id;

  describe('customers', () => {
    it('creates, gets, finds by ExternalImportReference, and lists with filters', async () => {
      const created = await api.customers.create({
        name: 'Bakeriet på Hjørnet AS',
        externalImportReference: 'pos-cust-1',
        organizationNumber: '987654321',
        mailAddress: { addressLine1: 'Storgata 1', zipCode: '0155', city: 'Oslo' },
        billableRate: 95050,
      });
      expect(created.id).toBeGreaterThan(0);
      expect(created.number).toBeGreaterThanOrEqual(10000);
      expect(created.subledgerAccountId).toBeGreaterThan(0);
      expect(created.billableRate).toBe(95050); // øre in, NOK on the wire, øre back
      expect(created.mailAddress).toMatchObject({ city: 'Oslo', zipCode: '0155' });

      expect(await api.customers.get(created.id)).toMatchObject({ id: created.id, name: 'Bakeriet på Hjørnet AS' });
      expect((await api.customers.findByExternalImportReference('pos-cust-1'))?.id).toBe(created.id);
      expect(await api.customers.findByExternalImportReference('no-such-ref')).toBeUndefined();
      expect((await api.customers.listAll({ customerNos: [created.number!] })).map((c) => c.id)).toEqual([created.id]);
    });

    it('pages with PageNumber/PageSize until a short page, as a list and as an async iterator', async () => {
      const { api: fresh } = await fx.tenant();
      for (let i = 0; i < 7; i++)
        await fresh.customers.create({ name: `Kunde ${i}`, externalImportReference: `page-${i}` });
      const before = fx.recorder.calls.length;
      const all = await fresh.customers.listAll({}, { pageSize: 3 });
      expect(all.map((c) => c.externalImportReference).sort()).toEqual([
        'page-0',
        'page-1',
        'page-2',
        'page-3',
        'page-4',
        'page-5',
        'page-6',
      ]);
      const listCalls = fx.recorder.calls.slice(before).filter((c) => c.pathTemplate === '/Customers');
      expect(listCalls).toHaveLength(3); // 3 + 3 + 1

      const seen: string[] = [];
      for await (const c of fresh.customers.iterate({}, { pageSize: 7 })) seen.push(c.externalImportReference!);
      expect(seen).toHaveLength(7);
      expect(await fresh.customers.listPage({}, { pageNumber: 3, pageSize: 3 })).toHaveLength(1);
      expect(await fresh.customers.listPage({}, { pageNumber: 9, pageSize: 3 })).toEqual([]); // 204
    });

    it('filters changes with lastChangedAfter / createdAfter (exclusive)', async () => {
      const { api: fresh } = await fx.tenant();
      const first = await fresh.customers.create({ name: 'Først AS' });
      const second = await fresh.customers.create({ name: 'Deretter AS' });
      const changedAfterFirst = await fresh.customers.listAll({ lastChangedAfter: first.lastChangedDateTimeOffset! });
      expect(changedAfterFirst.map((c) => c.id)).toEqual([second.id]);
      const createdAfterFirst = await fresh.customers.listAll({ createdAfter: first.customerCreatedDateTimeOffset! });
      expect(createdAfterFirst.map((c) => c.id)).toEqual([second.id]);
      await fresh.customers.update(first.id, { phoneNumber: '22 33 44 55' });
      const changedSinceSecond = await fresh.customers.listAll({ lastChangedAfter: second.lastChangedDateTimeOffset! });
      expect(changedSinceSecond.map((c) => c.id)).toEqual([first.id]);
    });

    it('updates by JSON Patch with only the differences, and skips the call when nothing differs', async () => {
      const c = await api.customers.create({
        name: 'Patch AS',
        emailAddress: 'a@patch.no',
        mailAddress: { zipCode: '0150', city: 'Oslo' },
      });
      const before = fx.recorder.calls.length;
      const result = await api.customers.update(
        c.id,
        {
          name: 'Patch AS',
          emailAddress: 'post@patch.no',
          mailAddress: { city: 'Bergen', zipCode: '5003' },
          billableRate: 120000,
        },
        c,
      );
      expect(result.changed).toBe(true);
      expect(result.operations.map((o) => o.path).sort()).toEqual([
        '/billableRate',
        '/emailAddress',
        '/mailAddress/city',
        '/mailAddress/zipCode',
      ]);
      expect(result.entity).toMatchObject({
        emailAddress: 'post@patch.no',
        billableRate: 120000,
        mailAddress: { city: 'Bergen', zipCode: '5003' },
      });
      expect(fx.recorder.calls.slice(before).map((x) => `${x.method} ${x.pathTemplate} ${x.status}`)).toEqual([
        'PATCH /Customers/{id} 200',
      ]);

      const again = await api.customers.update(
        c.id,
        { name: 'Patch AS', emailAddress: 'post@patch.no' },
        result.entity,
      );
      expect(again.changed).toBe(false);
      expect(fx.recorder.calls.length).toBe(before + 1);

      // Without `current`, update reads it first.
      const third = await api.customers.update(c.id, { phoneNumber: '99 88 77 66' });
      expect(third.entity.phoneNumber).toBe('99 88 77 66');
      expect((await fx.emulator.admin.state(clientKey)).customers.find((x) => x.Id === c.id)).toMatchObject({
        PhoneNumber: '99 88 77 66',
        EmailAddress: 'post@patch.no',
      });
    });

    it('archives', async () => {
      const c = await api.customers.create({ name: 'Arkiv AS' });
      const archived = await api.customers.archive(c.id);
      expect(archived.isArchived).toBe(true);
    });
  });

  describe('products and product groups', () => {
    it('creates (POST /Products answers 200), lists by codes, gets and patches prices in øre', async () => {
      const group = await api.productGroups.create({
        code: 'DRIKKE',
        name: 'Drikke',
        standardSalesAccountId: acc(3030),
      });
      expect(group.id).toBeGreaterThan(0);
      expect((await api.productGroups.listByCodes(['DRIKKE'])).map((g) => g.id)).toEqual([group.id]);
      expect(await api.productGroups.get(group.id)).toMatchObject({ code: 'DRIKKE' });
      const renamed = await api.productGroups.update(group.id, { name: 'Drikkevarer' }, group);
      expect(renamed.entity.name).toBe('Drikkevarer');

      const coffee = await api.products.create({
        code: 'KAFFE-1',
        name: 'Kaffe',
        unitPrice: 4500,
        unitCost: 1250,
        productGroupId: group.id,
        standardSalesAccountId: acc(3000),
      });
      const tea = await api.products.create({ code: 'TE-1', name: 'Te', unitPrice: 3990 });
      expect(coffee).toMatchObject({ code: 'KAFFE-1', unitPrice: 4500, unitCost: 1250, productGroupId: group.id });
      const wire = (await fx.emulator.admin.state(clientKey)).products.find((p) => p.Id === coffee.id)!;
      expect(wire.UnitPrice).toBe(45); // NOK on the wire

      const byCodes = await api.products.listByCodes(['KAFFE-1', 'TE-1', 'UKJENT']);
      expect(byCodes.map((p) => p.code).sort()).toEqual(['KAFFE-1', 'TE-1']);
      const patched = await api.products.update(tea.id, { unitPrice: 4290, description: 'Grønn te' });
      expect(patched.operations).toHaveLength(2);
      expect((await api.products.get(tea.id)).unitPrice).toBe(4290);
      expect((await api.products.archive(tea.id)).isArchived).toBe(true);
      expect((await api.products.listAll({ isArchived: false })).map((p) => p.code)).toEqual(['KAFFE-1']);
    });

    it('chunks long code lists so no URL nears the length PowerOffice misreads', async () => {
      const codes = Array.from({ length: 400 }, (_, i) => `ARTIKKEL-${String(i).padStart(5, '0')}`);
      const before = fx.recorder.calls.length;
      expect(await api.products.listByCodes(codes)).toEqual([]);
      const calls = fx.recorder.calls.slice(before);
      expect(calls.length).toBeGreaterThan(1);
      expect(calls.every((c) => c.status === 204)).toBe(true);
    });
  });

  describe('chart of accounts and settings', () => {
    it('lists general ledger accounts, by numbers and ranges', async () => {
      expect(accounts.get(3000)).toMatchObject({ accountNo: 3000, vatCode: '3', isVatCodeLocked: true });
      const range = await api.generalLedgerAccounts.listAll({ accountNos: '1900-1911' });
      expect(range.map((a) => a.accountNo)).toEqual([1900, 1909, 1910, 1911]);
      expect((await api.generalLedgerAccounts.listAll()).length).toBeGreaterThan(20);
    });

    it('lists VAT codes with ids distinct from the SAF-T codes', () => {
      expect(vat.get('3')).toMatchObject({ code: '3', rate: 0.25 });
      expect(vat.get('3')!.id).not.toBe(3);
    });

    it('lists sub-ledger number series and reads the lock date', async () => {
      const series = await api.subLedgerNumberSeries.listAll({ type: 'Customer' });
      expect(series).toEqual([
        expect.objectContaining({
          fromInclusive: 10000,
          toInclusive: 19999,
          generalLedgerAccountNo: 1500,
          isDefault: true,
        }),
      ]);
      const { api: locked } = await fx.tenant({ lockDate: '2024-12-31' });
      expect(await locked.lockDate.get()).toEqual({ lockDate: '2024-12-31' });
    });

    it('creates and lists departments', async () => {
      const d = await api.departments.create({ code: 'BUTIKK1', name: 'Butikk sentrum', isActive: true });
      expect(d).toMatchObject({ code: 'BUTIKK1', isActive: true });
      expect((await api.departments.listAll({ codes: ['BUTIKK1'] })).map((x) => x.id)).toEqual([d.id]);
    });

    it('reads the client integration information', async () => {
      const info = await api.clientIntegrationInformation.get();
      expect(info.clientId).toBeTruthy();
      expect(info.validPrivileges).toContain('CashVoucher_Full');
    });
  });

  describe('vouchers', () => {
    it('posts a balanced cash-journal voucher in øre, reads it back, sees it in the ledger, and reverses it', async () => {
      const posted = await api.cashJournals.create({
        voucherDate: '2025-03-10',
        currencyCode: 'NOK',
        description: 'Dagsoppgjør Z 17',
        externalImportReference: 'z-17',
        importedVoucherNo: 17,
        voucherLines: [
          { accountId: acc(1900), vatId: vatId('0'), postingDate: '2025-03-10', currencyAmount: 500000 },
          { accountId: acc(1910), vatId: vatId('0'), postingDate: '2025-03-10', currencyAmount: 1365050 },
          { accountId: acc(3000), vatId: vatId('3'), postingDate: '2025-03-10', currencyAmount: -1250000 },
          { accountId: acc(3030), vatId: vatId('31'), postingDate: '2025-03-10', currencyAmount: -615050 },
        ],
      });
      expect(posted.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(posted.voucherNo).toBeGreaterThan(0);
      expect(posted.voucherLines?.map((l) => l.currencyAmount)).toEqual([500000, 1365050, -1250000, -615050]);
      expect((await api.cashJournals.get(posted.id)).externalImportReference).toBe('z-17');

      const ledger = await api.accountTransactions.listAll({
        fromDate: '2025-03-10',
        toDate: '2025-03-10',
        voucherNos: [posted.voucherNo],
      });
      const sales = ledger.find((t) => t.accountNo === 3000)!;
      expect(sales.amount).toBe(-1000000); // net of 25 % VAT, in øre
      expect(ledger.find((t) => t.accountNo === 2700)!.amount).toBe(-250000);
      expect(ledger.reduce((s, t) => s + t.amount, 0)).toBe(0);

      await api.vouchers.reverse(posted.id);
      expect((await api.cashJournals.get(posted.id)).isReversed).toBe(true);
    });

    it('posts an outgoing-invoice voucher to the customer ledger, and lists the invoice', async () => {
      const customer = await api.customers.create({ name: 'Faktura AS' });
      const invoice = await api.outgoingInvoiceJournals.create({
        invoiceNo: '100234',
        customerAccountId: customer.subledgerAccountId,
        voucherDate: '2025-03-11',
        dueDate: '2025-03-25',
        currencyCode: 'NOK',
        currencyAmount: 125000,
        externalImportReference: 'inv-100234',
        outgoingInvoiceLines: [
          { accountId: acc(3000), vatId: vatId('3'), currencyAmount: 125000, description: 'Catering' },
        ],
      });
      expect(invoice.id).toBeTruthy();
      expect((await api.outgoingInvoiceJournals.get(invoice.id)).currencyAmount).toBe(125000);

      const listed = await api.outgoingInvoices.listAll({
        fromDate: '2025-03-01',
        toDate: '2025-03-31',
        customerNos: [customer.number!],
      });
      expect(listed).toEqual([
        expect.objectContaining({ totalAmount: 125000, netAmount: 100000, customerNo: customer.number }),
      ]);
    });
  });

  describe('sales orders', () => {
    it('completes an order, sends the invoice, and reads the sent state', async () => {
      const { api: shop } = await fx.tenant({ allowSendInvoice: true });
      const customer = await shop.customers.create({ name: 'Ordre AS', emailAddress: 'ordre@example.no' });
      const product = await shop.products.create({ code: 'KAKE', name: 'Kake', unitPrice: 25000 });
      const order = await shop.salesOrders.complete({
        customerId: customer.id,
        salesOrderDate: '2025-03-12',
        externalImportReference: 'so-1',
        salesOrderLines: [
          { productId: product.id, quantity: 2 },
          { productCode: 'KAKE', quantity: 1, productUnitPrice: 20000 },
        ],
      });
      expect(order.id).toBeTruthy();
      expect(order.netAmount).toBe(70000);
      expect(order.totalAmount).toBe(87500);
      expect(order.salesOrderLines?.map((l) => l.productUnitPrice)).toEqual([25000, 20000]);

      const receipt = await shop.salesOrders.createAndSendInvoice(order.id, {
        deliveryType: 'PdfByEmail',
        voucherDate: '2025-03-12',
      });
      expect(receipt.location).toContain(order.id);
      const state = await shop.salesOrders.sentState(order.id);
      expect(state).toMatchObject({ id: order.id });
      expect(state!.invoiceNo).toBeGreaterThan(0);
    });
  });
});

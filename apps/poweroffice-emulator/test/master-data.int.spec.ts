import { RunningEmulator, startEmulator } from '../src/bootstrap';
import { connect, GoApi, sleep } from './support/go-api';

let emu: RunningEmulator;

beforeAll(async () => {
  emu = await startEmulator({ port: 0, rateLimit: 0 });
});
afterAll(() => emu.close());

describe('Customers', () => {
  let api: GoApi;
  beforeEach(async () => {
    api = await connect(emu);
  });

  it('POST → 201 CustomerDto (PascalCase, every field, 7-digit timestamps); body keys bind case-insensitively', async () => {
    const r = await api.post('/Customers', {
      name: 'Kunde AS',
      organizationNumber: '999888777',
      externalImportReference: 'pos-cust-1',
      mailAddress: { city: 'Oslo', zipCode: '0150', addressLine1: 'Storgata 1' },
    });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      Id: expect.any(Number),
      Number: 10000,
      SubledgerAccountId: expect.any(Number),
      Name: 'Kunde AS',
      OrganizationNumber: '999888777',
      ExternalImportReference: 'pos-cust-1',
      IsArchived: false,
      IsActive: true,
      WebsiteUrl: null,
      MailAddress: { City: 'Oslo', ZipCode: '0150', AddressLine1: 'Storgata 1', CountryCode: 'NO' },
    });
    expect(r.body.LastChangedDateTimeOffset).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}[+-]\d{2}:\d{2}$/);
  });

  it('GET by id; 404 ProblemDetails in camelCase for an unknown id', async () => {
    const created = (await api.post('/Customers', { Name: 'A' })).body;
    expect((await api.get(`/Customers/${created.Id}`)).body.Name).toBe('A');
    const missing = await api.get('/Customers/12345');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain('application/problem+json');
    expect(missing.body).toEqual({
      title: 'Object(s) not found',
      status: 404,
      detail: 'Customer with id = 12345 not found.',
    });
  });

  it('400 on a duplicate ExternalImportReference, worded as Go words it', async () => {
    const first = (await api.post('/Customers', { Name: 'A', ExternalImportReference: 'ABC123' })).body;
    const dup = await api.post('/Customers', { Name: 'B', ExternalImportReference: 'ABC123' });
    expect(dup.status).toBe(400);
    expect(dup.body).toEqual({
      title: 'Customer validation error(s)',
      status: 400,
      detail: `ExternalImportReference is already in use. 'ABC123' is used on (contact) Id = ${first.Id}.`,
    });
  });

  it('400 for a number outside the series, a duplicate number, a nameless company, an address without City/ZipCode', async () => {
    await api.post('/Customers', { Name: 'A', Number: 10500 });
    const cases: Array<[unknown, string]> = [
      [{ Name: 'B', Number: 99 }, 'Customer number 99 is not within a customer number series (10000-19999).'],
      [{ Name: 'B', Number: 10500 }, 'Customer number 10500 is already in use'],
      [{ OrganizationNumber: '999888777' }, 'Name is required for a company customer'],
      [{ IsPerson: true, FirstName: 'Kari' }, 'A person (IsPerson = true) needs FirstName and LastName.'],
      [{ Name: 'B', MailAddress: { City: 'Oslo' } }, "The field 'MailAddress.ZipCode' is required."],
    ];
    for (const [body, detail] of cases) {
      const r = await api.post('/Customers', body);
      expect(r.status).toBe(400);
      expect(r.body.detail).toContain(detail);
    }
  });

  it('lists as a bare array, 204 when empty, with number ranges, reference filter and 1-based paging', async () => {
    expect((await api.get('/Customers')).status).toBe(204);
    for (const n of [10000, 10001, 10002, 12000, 13000]) {
      await api.post('/Customers', { Name: `C${n}`, Number: n, ExternalImportReference: `ref-${n}` });
    }
    const ranged = await api.get('/Customers?customerNos=' + encodeURIComponent('10000-10001, 12000, 13000-'));
    expect(ranged.body.map((c: { Number: number }) => c.Number)).toEqual([10000, 10001, 12000, 13000]);
    expect(
      (await api.get('/Customers?externalImportReference=REF-12000')).body.map((c: { Number: number }) => c.Number),
    ).toEqual([12000]);
    const page2 = await api.get('/Customers?PageNumber=2&PageSize=2');
    expect(page2.body.map((c: { Number: number }) => c.Number)).toEqual([10002, 12000]);
    expect((await api.get('/Customers?PageNumber=4&PageSize=2')).status).toBe(204);
    const tooBig = await api.get('/Customers?PageSize=20001');
    expect(tooBig.status).toBe(400);
    expect(tooBig.body.title).toBe('Invalid resourceParameter');
    expect((await api.get('/Customers?PageSize=20000')).status).toBe(200);
  });

  it('supports Fields and OrderBy; a bad field name is 400', async () => {
    await api.post('/Customers', { Name: 'Bravo' });
    await api.post('/Customers', { Name: 'Alfa' });
    const r = await api.get('/Customers?Fields=Id,Name&OrderBy=Name');
    expect(r.body.map((c: Record<string, unknown>) => Object.keys(c))).toEqual([
      ['Id', 'Name'],
      ['Id', 'Name'],
    ]);
    expect(r.body.map((c: { Name: string }) => c.Name)).toEqual(['Alfa', 'Bravo']);
    expect((await api.get('/Customers?OrderBy=Name desc')).body[0].Name).toBe('Bravo');
    const bad = await api.get('/Customers?Fields=Nope');
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toBe('Fields property in resourceParameter is not formatted correct.');
  });

  it('lastChangedDateTimeOffsetGreaterThan is exclusive: polling with the last seen value returns only newer changes', async () => {
    const a = (await api.post('/Customers', { Name: 'A' })).body;
    const b = (await api.post('/Customers', { Name: 'B' })).body;
    const after = (t: string): Promise<{ status: number; body: Array<{ Id: number }> }> =>
      api.get(`/Customers?lastChangedDateTimeOffsetGreaterThan=${encodeURIComponent(t)}`);
    expect((await after(a.LastChangedDateTimeOffset)).body.map((c) => c.Id)).toEqual([b.Id]);
    expect((await after(b.LastChangedDateTimeOffset)).status).toBe(204);
    const patched = await api.patch(`/Customers/${a.Id}`, [
      { op: 'replace', path: '/EmailAddress', value: 'post@a.no' },
    ]);
    expect((await after(b.LastChangedDateTimeOffset)).body.map((c) => c.Id)).toEqual([a.Id]);
    expect(patched.body.LastChangedDateTimeOffset > b.LastChangedDateTimeOffset).toBe(true);
    expect(
      (
        await api.get(
          `/Customers?customerCreatedDateTimeOffsetGreaterThan=${encodeURIComponent(a.CustomerCreatedDateTimeOffset)}`,
        )
      ).body.map((c: { Id: number }) => c.Id),
    ).toEqual([b.Id]);
    const unencoded = await api.get(`/Customers?lastChangedDateTimeOffsetGreaterThan=${a.LastChangedDateTimeOffset}`);
    expect(unencoded.status).toBe(400);
  });

  it('PATCH: JSON Patch (replace/add/remove) against CustomerPatchDto; IsArchived is patchable', async () => {
    const c = (await api.post('/Customers', { Name: 'A', EmailAddress: 'a@a.no' })).body;
    const r = await api.patch(`/Customers/${c.Id}`, [
      { op: 'replace', path: '/Name', value: 'A AS' },
      { op: 'add', path: '/IsArchived', value: true },
      { op: 'remove', path: '/EmailAddress' },
    ]);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ Name: 'A AS', IsArchived: true, IsActive: false, EmailAddress: null });
    const unknown = await api.patch(`/Customers/${c.Id}`, [{ op: 'replace', path: '/x', value: 1 }]);
    expect(unknown.status).toBe(400);
    expect(unknown.body.detail).toBe(
      "CustomerPatchDto: The target location specified by path segment 'x' was not found.",
    );
    const wrongType = await api.request('PATCH', `/Customers/${c.Id}`, [{ op: 'replace', path: '/Name', value: 'B' }], {
      contentType: 'application/json',
    });
    expect(wrongType.status).toBe(415);
    expect((await api.patch('/Customers/999', [{ op: 'replace', path: '/Name', value: 'B' }])).status).toBe(404);
  });

  it('optional read-replica lag: a just-changed customer shows in change-filtered lists only after the lag', async () => {
    const lagged = await startEmulator({ port: 0, rateLimit: 0, listLagMs: 800 });
    try {
      const lapi = await connect(lagged);
      const created = (await lapi.post('/Customers', { Name: 'Fresh' })).body;
      const since = encodeURIComponent('2020-01-01T00:00:00Z');
      expect((await lapi.get(`/Customers?lastChangedDateTimeOffsetGreaterThan=${since}`)).status).toBe(204);
      expect((await lapi.get(`/Customers/${created.Id}`)).status).toBe(200);
      await sleep(850);
      expect((await lapi.get(`/Customers?lastChangedDateTimeOffsetGreaterThan=${since}`)).body).toHaveLength(1);
    } finally {
      await lagged.close();
    }
  });

  it("isolates clients: one client key never sees another client's data", async () => {
    const other = await connect(emu);
    const mine = (await api.post('/Customers', { Name: 'Mine' })).body;
    expect((await other.get(`/Customers/${mine.Id}`)).status).toBe(404);
    expect((await other.get('/Customers')).status).toBe(204);
  });
});

describe('Products and product groups', () => {
  it('POST /Products → 200 (not 201); POST /ProductGroups → 201; sales account by number or id', async () => {
    const api = await connect(emu);
    const group = await api.post('/ProductGroups', { Code: 'BAKST', Name: 'Bakst', StandardSalesAccount: 3030 });
    expect(group.status).toBe(201);
    const p = await api.post('/Products', {
      Code: 'BOLLE',
      Name: 'Bolle',
      UnitPrice: 24.5,
      ProductGroupCode: 'bakst',
      StandardSalesAccount: 3030,
    });
    expect(p.status).toBe(200);
    expect(p.body).toMatchObject({
      Code: 'BOLLE',
      UnitPrice: 24.5,
      StandardSalesAccount: 3030,
      ProductGroupCode: 'BAKST',
      ProductType: 'Product',
    });
    const byId = await api.post('/Products', {
      Code: 'KAFFE',
      Name: 'Kaffe',
      StandardSalesAccountId: await api.accountId(3000),
    });
    expect(byId.body.StandardSalesAccount).toBe(3000);
  });

  it('keeps codes unique, needs Name, and resolves accounts', async () => {
    const api = await connect(emu);
    await api.post('/Products', { Code: 'X', Name: 'X' });
    expect((await api.post('/Products', { Code: 'x', Name: 'Y' })).body.detail).toContain(
      "Product code 'x' is already in use",
    );
    expect((await api.post('/Products', { Code: 'Y' })).body.detail).toBe("The field 'Name' is required.");
    expect((await api.post('/Products', { Name: 'Z', StandardSalesAccount: 3999 })).body.detail).toBe(
      'General ledger account with account no = 3999 not found.',
    );
  });

  it('lists with codes / isArchived / lastChanged filters and patches by JSON Patch', async () => {
    const api = await connect(emu);
    const a = (await api.post('/Products', { Code: 'A', Name: 'A', UnitPrice: 10 })).body;
    await api.post('/Products', { Code: 'B', Name: 'B' });
    expect((await api.get('/Products?codes=a')).body.map((p: { Code: string }) => p.Code)).toEqual(['A']);
    const patched = await api.patch(`/Products/${a.Id}`, [
      { op: 'replace', path: '/UnitPrice', value: 12.9 },
      { op: 'replace', path: '/IsArchived', value: true },
    ]);
    expect(patched.body).toMatchObject({ UnitPrice: 12.9, IsArchived: true });
    expect((await api.get('/Products?isArchived=true')).body.map((p: { Code: string }) => p.Code)).toEqual(['A']);
    expect(
      (
        await api.get(
          `/Products?lastChangedDateTimeOffsetGreaterThan=${encodeURIComponent(a.LastChangedDateTimeOffset)}`,
        )
      ).body
        .map((p: { Code: string }) => p.Code)
        .sort(),
    ).toEqual(['A', 'B']);
    expect(
      (await api.patch(`/Products/${a.Id}`, [{ op: 'replace', path: '/StandardSalesAccount', value: 3000 }])).body
        .detail,
    ).toBe("ProductPatchDto: The target location specified by path segment 'StandardSalesAccount' was not found.");
  });
});

describe('Chart of accounts, VAT codes, number series, lock date, departments', () => {
  it('serves the NS 4102 preset with VAT-locked sales accounts and an inactive account', async () => {
    const api = await connect(emu);
    const accounts = (await api.get('/GeneralLedgerAccounts?accountNos=1500,3000,3030,3050,3099,3100,3200')).body;
    const byNo = Object.fromEntries(accounts.map((a: { AccountNo: number }) => [a.AccountNo, a]));
    expect(byNo[3000]).toMatchObject({ VatCode: '3', IsVatCodeLocked: true, IsActive: true });
    expect(byNo[3030]).toMatchObject({ VatCode: '31', IsVatCodeLocked: true });
    expect(byNo[3050]).toMatchObject({ VatCode: '33', IsVatCodeLocked: true });
    expect(byNo[3099]).toMatchObject({ IsActive: false });
    expect((await api.get(`/GeneralLedgerAccounts/${byNo[1500].Id}`)).body.AccountNo).toBe(1500);
    const all = (await api.get('/GeneralLedgerAccounts')).body.map((a: { AccountNo: number }) => a.AccountNo);
    for (const no of [
      1500, 1579, 1900, 1909, 1910, 1911, 1920, 2700, 2701, 2702, 2703, 2900, 2901, 2902, 2910, 3000, 3030, 3050, 3100,
      3200, 3900, 3990, 4000, 7740, 7770,
    ]) {
      expect(all).toContain(no);
    }
  });

  it('lists the SAF-T VAT codes with ids and 2026 rates', async () => {
    const api = await connect(emu);
    const codes = (await api.get('/VatCodes')).body;
    const rate = (code: string): number => codes.find((c: { Code: string }) => c.Code === code).Rate;
    expect([rate('3'), rate('31'), rate('32'), rate('33'), rate('5'), rate('0')]).toEqual([
      0.25, 0.15, 0.1111, 0.12, 0, 0,
    ]);
    expect(codes[0]).toMatchObject({
      Id: expect.any(Number),
      Code: expect.any(String),
      Name: expect.any(String),
      IsActive: true,
    });
  });

  it('serves the customer series (case-sensitive type filter) and the lock date', async () => {
    const api = await connect(emu, { lockDate: '2025-12-31' });
    const series = (await api.get('/SubLedgerNumberSeries?subLedgerNumberSeriesType=Customer')).body;
    expect(series).toEqual([
      expect.objectContaining({
        FromInclusive: 10000,
        ToInclusive: 19999,
        GeneralLedgerAccountNo: 1500,
        IsDefault: true,
        SubLedgerNumberSeriesType: 'Customer',
      }),
    ]);
    expect((await api.get('/SubLedgerNumberSeries?subLedgerNumberSeriesType=customer')).status).toBe(204);
    expect((await api.get('/LockDateSettings')).body).toEqual({ LockDate: '2025-12-31' });
  });

  it('creates GL accounts (201) and departments (201, IsActive defaults to false), filters departments by code', async () => {
    const api = await connect(emu);
    const acc = await api.post('/GeneralLedgerAccounts', {
      AccountNo: 3010,
      Name: 'Salg avd.',
      IsActive: true,
      VatCode: '3',
      IsVatCodeLocked: true,
    });
    expect(acc.status).toBe(201);
    expect(acc.body).toMatchObject({ AccountNo: 3010, VatCode: '3', IsVatCodeLocked: true });
    expect(
      (await api.post('/GeneralLedgerAccounts', { AccountNo: 3010, Name: 'Dup', IsActive: true, VatCode: '3' })).body
        .detail,
    ).toBe('General ledger account 3010 already exists.');
    const d = await api.post('/Departments', { Code: 'B1', Name: 'Butikk 1' });
    expect(d.status).toBe(201);
    expect(d.body.IsActive).toBe(false);
    await api.post('/Departments', { Code: 'B2', Name: 'Butikk 2', IsActive: true });
    expect((await api.get('/Departments?codes=b2')).body.map((x: { Code: string }) => x.Code)).toEqual(['B2']);
    const activated = await api.patch(`/Departments/${d.body.Id}`, [{ op: 'replace', path: '/IsActive', value: true }]);
    expect(activated.body.IsActive).toBe(true);
  });
});

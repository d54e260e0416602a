import { RunningEmulator, startEmulator } from '../src/bootstrap';
import { connect, GoApi } from './support/go-api';

let emu: RunningEmulator;
let api: GoApi;

beforeAll(async () => {
  emu = await startEmulator({ port: 0, rateLimit: 0 });
  api = await connect(emu);
});
afterAll(() => emu.close());

/** Request bodies are checked against the real API's OpenAPI description. */
describe('OpenAPI request validation', () => {
  it('rejects a wrong type, naming the field', async () => {
    const r = await api.post('/Vouchers/CashJournals', {
      VoucherDate: '2026-03-09',
      CurrencyCode: 'NOK',
      VoucherLines: [{ AccountId: 1, VatId: 1, PostingDate: '2026-03-09', CurrencyAmount: '100.00' }],
    });
    expect(r.status).toBe(400);
    expect(r.body).toEqual({
      title: 'Voucher validation error(s)',
      status: 400,
      detail: "The field 'VoucherLines[0].CurrencyAmount' must be a number but was the string '100.00'.",
    });
  });

  it("rejects an enum sent as an integer with Go's message", async () => {
    const r = await api.post('/Customers', { Name: 'A', InvoiceDeliveryType: 1 });
    expect(r.status).toBe(400);
    expect(r.body.detail).toBe(
      "Enum 'invoicedeliverytype' with value = 1 is not valid. (Enums is not allowed to be represented as integers).",
    );
  });

  it('rejects an unknown enum string, and accepts a known one in any case', async () => {
    const bad = await api.post('/Products', { Name: 'A', ProductType: 'Gadget' });
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toBe(
      "The value 'Gadget' is not valid for 'ProductType'. Allowed values: Product, Service.",
    );
    const good = await api.post('/Products', { Name: 'B', ProductType: 'service' });
    expect(good.status).toBe(200);
    expect(good.body.ProductType).toBe('Service');
  });

  it('rejects missing required fields, bad dates, fractions in integers and overlong strings', async () => {
    const cases: Array<[string, unknown, string]> = [
      ['/Vouchers/CashJournals', { CurrencyCode: 'NOK' }, "The field 'VoucherDate' is required."],
      [
        '/Vouchers/CashJournals',
        { VoucherDate: '09.03.2026', CurrencyCode: 'NOK' },
        "The value '09.03.2026' of 'VoucherDate' is not a valid date (YYYY-MM-DD).",
      ],
      [
        '/Vouchers/CashJournals',
        { VoucherDate: '2026-03-09', CurrencyCode: 'NOK', ImportedVoucherNo: 4.2 },
        "The field 'ImportedVoucherNo' must be an integer",
      ],
      [
        '/Vouchers/CashJournals',
        { VoucherDate: '2026-03-09', CurrencyCode: 'NOKK' },
        "The field 'CurrencyCode' must be at most 3 characters long.",
      ],
      [
        '/Customers',
        { Name: 'A', ExternalImportReference: 'x'.repeat(51) },
        "The field 'ExternalImportReference' must be at most 50 characters long.",
      ],
      [
        '/Vouchers/CashJournals',
        {
          VoucherDate: '2026-03-09',
          CurrencyCode: 'NOK',
          VoucherLines: [{ AccountId: 1, PostingDate: '2026-03-09', CurrencyAmount: 1 }],
        },
        "The field 'VoucherLines[0].VatId' is required.",
      ],
    ];
    for (const [path, body, detail] of cases) {
      const r = await api.post(path, body);
      expect(r.status).toBe(400);
      expect(r.body.detail).toContain(detail);
    }
  });

  it('ignores unknown and read-only members, as ASP.NET binding does', async () => {
    const r = await api.post('/Customers', { Name: 'A', Id: 5, SubledgerAccountId: 6, Colour: 'blue' });
    expect(r.status).toBe(201);
    expect(r.body.Id).not.toBe(5);
    expect(r.body).not.toHaveProperty('Colour');
  });

  it('answers malformed JSON with 400, a wrong media type with 415 and an empty body with 400', async () => {
    const malformed = await api.request('POST', '/Customers', undefined, { rawBody: '{"Name": ' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.detail).toContain('not valid JSON');
    expect(
      (await api.request('POST', '/Customers', undefined, { rawBody: 'Name=A', contentType: 'text/plain' })).status,
    ).toBe(415);
    expect((await api.post('/Customers')).body.detail).toBe('A non-empty request body is required.');
  });

  it('validates JSON Patch documents against the PatchDto field list', async () => {
    const c = (await api.post('/Customers', { Name: 'A' })).body;
    const r = await api.patch(`/Customers/${c.Id}`, { op: 'replace', path: '/Name', value: 'B' });
    expect(r.status).toBe(400);
    expect(r.body.detail).toContain('JSON Patch document');
    const bad = await api.patch(`/Customers/${c.Id}`, [{ op: 'replace', path: '/Number', value: 'bogus' }]);
    expect(bad.body.detail).toBe("CustomerPatchDto: The value 'bogus' is invalid for target location.");
    const enumAsInt = await api.patch(`/Customers/${c.Id}`, [
      { op: 'replace', path: '/InvoiceDeliveryType', value: 2 },
    ]);
    expect(enumAsInt.body.detail).toBe(
      "Enum 'invoicedeliverytype' with value = 2 is not valid. (Enums is not allowed to be represented as integers).",
    );
  });

  it('rejects unreadable query parameters', async () => {
    expect((await api.get('/Customers?customerNos=abc')).body).toMatchObject({
      status: 400,
      title: 'Unable to cast object(s)',
    });
    expect((await api.get('/Products?isArchived=maybe')).status).toBe(400);
    expect((await api.get('/Customers/abc')).status).toBe(400);
  });
});

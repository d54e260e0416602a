import {
  EVENT_TYPE_NAMES,
  EventType,
  FieldProblem,
  OutcomeType,
  articleChangedExample,
  customerChangedExample,
  invoicePostedExample,
  powerOfficeCustomerChangedExample,
  validateEventData,
  zReportExample81,
  zReportExample82,
} from './index';

/** Wire data these tests corrupt on purpose; its shape is whatever the case needs. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Wire = any;

/** A deep, mutable copy of a fixture (fixtures are frozen). */
function copy<T>(value: T): Wire {
  return structuredClone(value);
}

function problemFor(problems: FieldProblem[], field: string): string | undefined {
  return problems.find((p) => p.field === field)?.problem;
}

const causeId = '9f1c1a52-3c1e-4a55-a6a6-1b2f0b8f2f11';
const voucherId = '3d0b1f4e-8c55-4f6c-9a61-2d1f0c6a7b90';
const outcomeBase = { sourceEventId: causeId, tenantId: 'acme' };
const rejected = {
  code: 'POWEROFFICE_REJECTED',
  message: 'PowerOffice rejected the customer: number 5 is outside the customer series',
  retryable: false,
  powerOffice: { status: 400, title: 'Bad Request', detail: 'Number 5 is outside the series 10000-19999' },
};

const validOutcomes: Record<OutcomeType, object> = {
  CustomerSynced: {
    ...outcomeBase,
    customerId: 'c-1001',
    action: 'created',
    powerOffice: { customerId: 7340012, customerNumber: 10001 },
  },
  CustomerSyncFailed: { ...outcomeBase, customerId: 'c-1001', error: rejected },
  ArticleSynced: {
    ...outcomeBase,
    articleId: 'a-2001',
    action: 'updated',
    powerOffice: { productId: 88001, code: '2001' },
  },
  ArticleSyncFailed: {
    ...outcomeBase,
    articleId: 'a-2001',
    error: { code: 'RETRIES_EXHAUSTED', message: 'PowerOffice unavailable', retryable: true },
  },
  SettlementScheduled: {
    ...outcomeBase,
    registerId: 'reg1',
    zNumber: 42,
    businessDate: '2026-03-14',
    postAt: '2026-03-15T03:00:00+01:00',
  },
  SettlementPosted: {
    ...outcomeBase,
    registerId: 'reg1',
    zNumber: 42,
    businessDate: '2026-03-14',
    powerOffice: { voucherId, voucherNo: 1234 },
    totals: { debit: 1560040, credit: 1560040 },
  },
  SettlementFailed: {
    ...outcomeBase,
    registerId: 'reg1',
    zNumber: 42,
    businessDate: '2026-03-14',
    error: {
      code: 'MAPPING_MISSING',
      message: 'No account for payment method vipps',
      retryable: false,
      details: ['payment:vipps'],
    },
  },
  InvoiceTransferred: {
    ...outcomeBase,
    invoiceId: 'inv-5001',
    invoiceNumber: '5001',
    powerOffice: { voucherId, customerNumber: 10001 },
  },
  InvoiceRejected: {
    ...outcomeBase,
    invoiceId: 'inv-5001',
    invoiceNumber: '5001',
    error: { code: 'CUSTOMER_NOT_FOUND', message: 'Customer c-1001 is not in PowerOffice', retryable: false },
  },
};

const validExamples: Record<EventType, object> = {
  CustomerChanged: customerChangedExample,
  ArticleChanged: articleChangedExample,
  ZReportClosed: zReportExample82,
  InvoicePosted: invoicePostedExample,
  PowerOfficeCustomerChanged: powerOfficeCustomerChangedExample,
  ...validOutcomes,
};

describe('valid event data', () => {
  it.each(EVENT_TYPE_NAMES.map((t) => [t]))('%s example has no problems', (type) => {
    expect(validateEventData(type, validExamples[type])).toEqual([]);
  });

  it('accepts both worked Z-report examples of pos-domain.md §8', () => {
    expect(validateEventData('ZReportClosed', zReportExample81)).toEqual([]);
    expect(validateEventData('ZReportClosed', zReportExample82)).toEqual([]);
  });

  it('accepts a person with first and last name and no company name', () => {
    const person = { ...copy(customerChangedExample), isPerson: true, firstName: 'Kari', lastName: 'Nordmann' };
    delete person.name;
    delete person.organizationNumber;
    expect(validateEventData('CustomerChanged', person)).toEqual([]);
  });

  it('accepts a minimal customer (only the required fields)', () => {
    const minimal = {
      customerId: 'c1',
      isPerson: false,
      name: 'AS',
      active: false,
      version: 1,
      changedAt: '2026-03-14T10:15:00Z',
    };
    expect(validateEventData('CustomerChanged', minimal)).toEqual([]);
  });

  it('accepts null and "" for optional text', () => {
    const c = { ...copy(customerChangedExample), email: null, phone: '', address: null };
    expect(validateEventData('CustomerChanged', c)).toEqual([]);
  });

  it('accepts signed amounts where refunds and returns make them negative', () => {
    const z = copy(zReportExample82);
    z.sales[0].grossAmount = -50000;
    z.sales[0].netAmount = -40000;
    z.sales[0].vatAmount = -10000;
    z.payments[1].amount = -2000;
    z.rounding = 40;
    z.cash.difference = 500;
    expect(validateEventData('ZReportClosed', z)).toEqual([]);

    const credit = copy(invoicePostedExample);
    credit.kind = 'creditNote';
    credit.creditedInvoiceNumber = '5000';
    credit.lines[0].quantity = -1;
    credit.lines[0].netAmount = -100000;
    credit.lines[0].vatAmount = -25000;
    credit.lines[0].grossAmount = -125000;
    credit.totals = { net: -100000, vat: -25000, gross: -125000 };
    expect(validateEventData('InvoicePosted', credit)).toEqual([]);
  });

  it('accepts a real leap day and a time with fractional seconds', () => {
    const z = { ...copy(zReportExample82), businessDate: '2024-02-29', closedAt: '2024-02-29T23:59:59.123456+01:00' };
    expect(validateEventData('ZReportClosed', z)).toEqual([]);
  });

  it('accepts decimal quantities and discounts on invoice lines', () => {
    const inv = copy(invoicePostedExample);
    inv.lines[0].quantity = 2.5;
    inv.lines[0].discountPercent = 12.5;
    expect(validateEventData('InvoicePosted', inv)).toEqual([]);
  });

  it('accepts an invoice transferred as a sales order only', () => {
    const t = copy(validOutcomes.InvoiceTransferred);
    t.powerOffice = { salesOrderId: voucherId, customerNumber: 10001 };
    expect(validateEventData('InvoiceTransferred', t)).toEqual([]);
  });

  it('accepts a failure whose cause id was not a UUID (it may be why it failed)', () => {
    const f = { ...copy(validOutcomes.CustomerSyncFailed), sourceEventId: 'not-a-uuid' };
    expect(validateEventData('CustomerSyncFailed', f)).toEqual([]);
  });

  it('ignores unknown extra fields (contracts.md: fields may be added) and strips nothing', () => {
    const z = { ...copy(zReportExample82), operatorId: 'emp-7', newSection: { anything: [1, 2, 3] } };
    z.payments[0].terminalId = 'T-1';
    const before = JSON.stringify(z);
    expect(validateEventData('ZReportClosed', z)).toEqual([]);
    expect(JSON.stringify(z)).toBe(before);
  });

  it('is not fooled by a "__proto__" key from JSON', () => {
    const json = JSON.stringify(customerChangedExample).replace('{', '{"__proto__":{"isPerson":"x","customerId":5},');
    const data = JSON.parse(json);
    expect(validateEventData('CustomerChanged', data)).toEqual([]);
    expect(({} as Record<string, unknown>).isPerson).toBeUndefined();
  });
});

/** [type, case, change to a valid example, field, expected problem] */
type InvalidCase = [EventType, string, (d: Wire) => void, string, RegExp];

const invalidCases: InvalidCase[] = [
  // CustomerChanged
  ['CustomerChanged', 'company without name', (d) => delete d.name, 'name', /^is required for a company/],
  ['CustomerChanged', 'company with blank name', (d) => (d.name = '   '), 'name', /must not be empty/],
  [
    'CustomerChanged',
    'person without first name',
    (d) => (d.isPerson = true),
    'firstName',
    /^is required for a person/,
  ],
  ['CustomerChanged', 'person without last name', (d) => (d.isPerson = true), 'lastName', /^is required for a person/],
  [
    'CustomerChanged',
    '8-digit organisation number',
    (d) => (d.organizationNumber = '12345678'),
    'organizationNumber',
    /"12345678" is not an organisation number \(9 digits\)/,
  ],
  ['CustomerChanged', 'customer number 0', (d) => (d.customerNumber = 0), 'customerNumber', /at least 1/],
  ['CustomerChanged', 'fractional version', (d) => (d.version = 1.5), 'version', /whole number/],
  ['CustomerChanged', 'version 0', (d) => (d.version = 0), 'version', /at least 1/],
  [
    'CustomerChanged',
    'time without offset',
    (d) => (d.changedAt = '2026-03-14T10:15:00'),
    'changedAt',
    /is not an RFC 3339 time with offset/,
  ],
  ['CustomerChanged', 'time with a space', (d) => (d.changedAt = '2026-03-14 10:15:00+01:00'), 'changedAt', /RFC 3339/],
  ['CustomerChanged', 'time at hour 24', (d) => (d.changedAt = '2026-03-14T24:00:00Z'), 'changedAt', /RFC 3339/],
  [
    'CustomerChanged',
    'name of 401 characters',
    (d) => (d.name = 'x'.repeat(401)),
    'name',
    /at most 400 characters \(has 401\)/,
  ],
  ['CustomerChanged', 'empty customer id', (d) => (d.customerId = ''), 'customerId', /must not be empty/],
  [
    'CustomerChanged',
    'customer id of 101 characters',
    (d) => (d.customerId = 'c'.repeat(101)),
    'customerId',
    /at most 100/,
  ],
  [
    'CustomerChanged',
    'customer id with a line break',
    (d) => (d.customerId = 'c1\nX-Forged: 1'),
    'customerId',
    /one line/,
  ],
  ['CustomerChanged', 'numeric customer id', (d) => (d.customerId = 1001), 'customerId', /must be a string id/],
  [
    'CustomerChanged',
    'address without postal code',
    (d) => delete d.address.postalCode,
    'address.postalCode',
    /^is required$/,
  ],
  [
    'CustomerChanged',
    'three-letter country',
    (d) => (d.address.countryCode = 'NOR'),
    'address.countryCode',
    /ISO 3166/,
  ],
  ['CustomerChanged', 'address as a string', (d) => (d.address = 'Storgata 1'), 'address', /must be an object/],
  ['CustomerChanged', 'isPerson as text', (d) => (d.isPerson = 'no'), 'isPerson', /true or false/],
  ['CustomerChanged', 'active missing', (d) => delete d.active, 'active', /^is required$/],
  ['CustomerChanged', 'lone surrogate in a name', (d) => (d.name = 'Caf\uD800'), 'name', /broken Unicode/],
  // ArticleChanged
  ['ArticleChanged', 'VAT code as a number', (d) => (d.vatCode = 31), 'vatCode', /as a string/],
  ['ArticleChanged', 'purchase VAT code', (d) => (d.vatCode = '1'), 'vatCode', /"1" is not a SAF-T sales VAT code/],
  ['ArticleChanged', 'VAT code 0 (purchase side)', (d) => (d.vatCode = '0'), 'vatCode', /not a SAF-T sales VAT code/],
  ['ArticleChanged', 'unknown article type', (d) => (d.type = 'Goods'), 'type', /"Goods" is not an article type/],
  [
    'ArticleChanged',
    'price in kroner',
    (d) => (d.unitPriceInclVat = 59.9),
    'unitPriceInclVat',
    /integer number of øre/,
  ],
  [
    'ArticleChanged',
    'price as text',
    (d) => (d.unitPriceInclVat = '5900'),
    'unitPriceInclVat',
    /integer number of øre/,
  ],
  [
    'ArticleChanged',
    'price beyond 10^13 øre',
    (d) => (d.unitPriceInclVat = 10_000_000_000_001),
    'unitPriceInclVat',
    /integer number of øre/,
  ],
  [
    'ArticleChanged',
    'article group without SAF-T prefix',
    (d) => (d.articleGroup.saftCode = '4012'),
    'articleGroup.saftCode',
    /SAF-T article group/,
  ],
  [
    'ArticleChanged',
    'article group without name',
    (d) => delete d.articleGroup.name,
    'articleGroup.name',
    /^is required$/,
  ],
  ['ArticleChanged', 'unit in words', (d) => (d.unit = 'each'), 'unit', /UN\/ECE unit code/],
  [
    'ArticleChanged',
    'article number too long for PowerOffice',
    (d) => (d.articleNumber = '9'.repeat(101)),
    'articleNumber',
    /at most 100/,
  ],
  [
    'ArticleChanged',
    'NUL in the description',
    (d) => (d.description = 'a\u0000b'),
    'description',
    /control characters/,
  ],
  // ZReportClosed
  [
    'ZReportClosed',
    'non-existent date',
    (d) => (d.businessDate = '2026-02-30'),
    'businessDate',
    /^"2026-02-30" is not a date/,
  ],
  ['ZReportClosed', 'no 29 February in 2100', (d) => (d.businessDate = '2100-02-29'), 'businessDate', /is not a date/],
  ['ZReportClosed', 'month 13', (d) => (d.businessDate = '2026-13-01'), 'businessDate', /is not a date/],
  ['ZReportClosed', 'two-digit year', (d) => (d.businessDate = '26-03-14'), 'businessDate', /is not a date/],
  [
    'ZReportClosed',
    'date with time',
    (d) => (d.businessDate = '2026-03-14T00:00:00Z'),
    'businessDate',
    /is not a date/,
  ],
  [
    'ZReportClosed',
    'fractional payment amount',
    (d) => (d.payments[1].amount = 12.5),
    'payments[1].amount',
    /^must be an integer number of øre$/,
  ],
  ['ZReportClosed', 'negative sales count', (d) => (d.sales[0].count = -1), 'sales[0].count', /must not be negative/],
  [
    'ZReportClosed',
    'fractional payment count',
    (d) => (d.payments[0].count = 1.5),
    'payments[0].count',
    /whole number/,
  ],
  [
    'ZReportClosed',
    'unknown payment method',
    (d) => (d.payments[0].method = 'bitcoin'),
    'payments[0].method',
    /"bitcoin" is not a payment method/,
  ],
  [
    'ZReportClosed',
    'event code as payment code',
    (d) => (d.payments[0].saftCode = '13001'),
    'payments[0].saftCode',
    /SAF-T payment code/,
  ],
  ['ZReportClosed', 'foreign currency', (d) => (d.currency = 'SEK'), 'currency', /"SEK" is not a supported currency/],
  ['ZReportClosed', 'Z number 0', (d) => (d.zNumber = 0), 'zNumber', /at least 1/],
  ['ZReportClosed', 'Z number as text', (d) => (d.zNumber = '42'), 'zNumber', /whole number/],
  ['ZReportClosed', 'sales not a list', (d) => (d.sales = { vatCode: '3' }), 'sales', /must be an array/],
  ['ZReportClosed', 'a sales line that is not an object', (d) => (d.sales[1] = 5), 'sales[1]', /must be an object/],
  ['ZReportClosed', 'negative counted cash', (d) => (d.cash.counted = -5), 'cash.counted', /must not be negative/],
  [
    'ZReportClosed',
    'negative opening float',
    (d) => (d.cash.openingFloat = -1),
    'cash.openingFloat',
    /must not be negative/,
  ],
  [
    'ZReportClosed',
    'VAT rate above 100',
    (d) => (d.sales[0].vatRate = 125),
    'sales[0].vatRate',
    /VAT rate in percent between 0 and 100/,
  ],
  ['ZReportClosed', 'VAT rate missing', (d) => delete d.sales[0].vatRate, 'sales[0].vatRate', /^is required$/],
  ['ZReportClosed', 'rounding in kroner', (d) => (d.rounding = -0.4), 'rounding', /integer number of øre/],
  ['ZReportClosed', 'tips amount null', (d) => (d.tips.amount = null), 'tips.amount', /is required \(got null\)/],
  [
    'ZReportClosed',
    'amount beyond the safe range',
    (d) => (d.sales[0].grossAmount = Number.MAX_SAFE_INTEGER),
    'sales[0].grossAmount',
    /integer number of øre/,
  ],
  ['ZReportClosed', 'register id missing', (d) => delete d.registerId, 'registerId', /^is required$/],
  // InvoicePosted
  ['InvoicePosted', 'no lines', (d) => (d.lines = []), 'lines', /at least 1 entry/],
  ['InvoicePosted', 'no customer', (d) => delete d.customer, 'customer', /^is required$/],
  ['InvoicePosted', 'customer without id', (d) => delete d.customer.customerId, 'customer.customerId', /^is required$/],
  ['InvoicePosted', 'unknown kind', (d) => (d.kind = 'receipt'), 'kind', /"receipt" is not an invoice kind/],
  ['InvoicePosted', '31 April', (d) => (d.dueDate = '2026-04-31'), 'dueDate', /"2026-04-31" is not a date/],
  ['InvoicePosted', 'KID with letters', (d) => (d.kid = 'ABC123'), 'kid', /is not a KID/],
  [
    'InvoicePosted',
    'discount above 100 %',
    (d) => (d.lines[0].discountPercent = 150),
    'lines[0].discountPercent',
    /discount in percent/,
  ],
  ['InvoicePosted', 'quantity in words', (d) => (d.lines[0].quantity = 'one'), 'lines[0].quantity', /a quantity/],
  [
    'InvoicePosted',
    'unit price in kroner',
    (d) => (d.lines[0].unitPriceExclVat = 1000.5),
    'lines[0].unitPriceExclVat',
    /øre/,
  ],
  ['InvoicePosted', 'fractional total', (d) => (d.totals.gross = 1.5), 'totals.gross', /øre/],
  [
    'InvoicePosted',
    'line without description',
    (d) => delete d.lines[0].description,
    'lines[0].description',
    /^is required$/,
  ],
  // PowerOfficeCustomerChanged
  [
    'PowerOfficeCustomerChanged',
    'PowerOffice id as text',
    (d) => (d.powerOffice.customerId = '7340012'),
    'powerOffice.customerId',
    /whole number/,
  ],
  ['PowerOfficeCustomerChanged', 'no PowerOffice ids', (d) => delete d.powerOffice, 'powerOffice', /^is required$/],
  ['PowerOfficeCustomerChanged', 'no change time', (d) => delete d.changedAt, 'changedAt', /^is required$/],
  ['PowerOfficeCustomerChanged', 'company without name', (d) => delete d.name, 'name', /required for a company/],
  // Outcomes
  ['CustomerSynced', 'unknown action', (d) => (d.action = 'deleted'), 'action', /"deleted" is not a sync action/],
  [
    'CustomerSynced',
    'source event id not a UUID',
    (d) => (d.sourceEventId = 'abc'),
    'sourceEventId',
    /"abc" is not a UUID/,
  ],
  [
    'CustomerSynced',
    'SQL in the tenant id',
    (d) => (d.tenantId = "acme'; DROP TABLE tenants;--"),
    'tenantId',
    /is not a tenant id/,
  ],
  ['CustomerSynced', 'no tenant id', (d) => delete d.tenantId, 'tenantId', /^is required$/],
  ['ArticleSynced', 'empty product code', (d) => (d.powerOffice.code = ''), 'powerOffice.code', /must not be empty/],
  ['ArticleSynced', 'no article id', (d) => delete d.articleId, 'articleId', /^is required$/],
  ['SettlementScheduled', 'post date without time', (d) => (d.postAt = '2026-03-15'), 'postAt', /RFC 3339/],
  [
    'SettlementPosted',
    'voucher id not a UUID',
    (d) => (d.powerOffice.voucherId = '123'),
    'powerOffice.voucherId',
    /"123" is not a UUID/,
  ],
  ['SettlementPosted', 'negative debit total', (d) => (d.totals.debit = -1), 'totals.debit', /must not be negative/],
  ['SettlementPosted', 'no Z number', (d) => delete d.zNumber, 'zNumber', /^is required$/],
  [
    'InvoiceTransferred',
    'neither voucher nor sales order',
    (d) => delete d.powerOffice.voucherId,
    'powerOffice.voucherId',
    /required when there is no salesOrderId/,
  ],
  [
    'InvoiceTransferred',
    'no customer number',
    (d) => delete d.powerOffice.customerNumber,
    'powerOffice.customerNumber',
    /^is required$/,
  ],
  ['CustomerSyncFailed', 'no error', (d) => delete d.error, 'error', /^is required$/],
  ['CustomerSyncFailed', 'retryable as text', (d) => (d.error.retryable = 'no'), 'error.retryable', /true or false/],
  ['ArticleSyncFailed', 'lower-case error code', (d) => (d.error.code = 'oops'), 'error.code', /is not an error code/],
  ['SettlementFailed', 'no Z number', (d) => delete d.zNumber, 'zNumber', /^is required$/],
  [
    'SettlementFailed',
    'impossible business date',
    (d) => (d.businessDate = '2026-02-29'),
    'businessDate',
    /is not a date/,
  ],
  [
    'InvoiceRejected',
    'HTTP status out of range',
    (d) => (d.error.powerOffice = { status: 999 }),
    'error.powerOffice.status',
    /HTTP status/,
  ],
  ['InvoiceRejected', 'no invoice id', (d) => delete d.invoiceId, 'invoiceId', /^is required$/],
];

describe('invalid event data', () => {
  const rows = invalidCases.map(
    ([type, name, change, field, expected]) => [type, name, field, expected, change] as const,
  );
  it.each(rows)('%s: %s → %s', (type, _name, field, expected, change) => {
    const data = copy(validExamples[type]);
    change(data);
    const problems = validateEventData(type, data);
    expect(problemFor(problems, field)).toMatch(expected);
  });

  it('has an invalid case for every event type', () => {
    const covered = new Set(invalidCases.map(([type]) => type));
    expect(EVENT_TYPE_NAMES.filter((t) => !covered.has(t))).toEqual([]);
  });

  it('reports every problem at once, not the first', () => {
    const z = copy(zReportExample82);
    z.payments[1].amount = 12.5;
    z.businessDate = '2026-02-30';
    z.sales[2].count = -3;
    z.currency = 'EUR';
    z.cash.openingFloat = -1;
    delete z.closedAt;
    const problems = validateEventData('ZReportClosed', z);
    expect(problems.map((p) => p.field).sort()).toEqual(
      ['businessDate', 'cash.openingFloat', 'closedAt', 'currency', 'payments[1].amount', 'sales[2].count'].sort(),
    );
  });

  it('reports a too-long list once, with its real length, without checking 5000 lines', () => {
    const z = copy(zReportExample82);
    z.payments = Array.from({ length: 5000 }, () => ({ method: 'cash', amount: 100, count: 1 }));
    const problems = validateEventData('ZReportClosed', z);
    expect(problems).toEqual([{ field: 'payments', problem: 'must have at most 1000 entries (has 5000)' }]);
  });

  it('accepts exactly 1000 lines', () => {
    const z = copy(zReportExample82);
    z.payments = Array.from({ length: 1000 }, () => ({ method: 'cash', amount: 100, count: 1 }));
    expect(validateEventData('ZReportClosed', z)).toEqual([]);
  });

  it('caps the number of problems it lists', () => {
    const z = copy(zReportExample82);
    z.payments = Array.from({ length: 1000 }, () => ({ method: 'x', amount: 0.5, count: -1 }));
    const problems = validateEventData('ZReportClosed', z);
    expect(problems.length).toBe(101);
    expect(problems[100]).toEqual({ field: '…', problem: 'and more problems (not listed)' });
  });

  it('refuses absurdly deep nesting instead of overflowing the stack', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 10_000; i++) deep = { a: deep };
    const problems = validateEventData('CustomerChanged', { ...copy(customerChangedExample), extra: deep });
    expect(problems).toEqual([{ field: 'data', problem: 'is nested deeper than 32 levels' }]);
  });

  it('names an unknown type and non-object data', () => {
    expect(validateEventData('CustomerDeleted', {})).toEqual([
      { field: 'type', problem: '"CustomerDeleted" is not a known event type' },
    ]);
    expect(validateEventData('CustomerChanged', [1])).toEqual([
      { field: 'data', problem: 'must be a JSON object (got an array of 1)' },
    ]);
    expect(validateEventData('CustomerChanged', null)).toEqual([
      { field: 'data', problem: 'must be a JSON object (got null)' },
    ]);
  });

  it('shortens long echoed values', () => {
    const z = { ...copy(zReportExample82), businessDate: '9'.repeat(500) };
    const problem = problemFor(validateEventData('ZReportClosed', z), 'businessDate')!;
    expect(problem.length).toBeLessThan(120);
    expect(problem).toMatch(/\.\.\." is not a date|\.\.\. is not a date/);
  });
});

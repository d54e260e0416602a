import { NumberFilter } from './filters';
import { createCustomer, listCustomers, patchCustomer } from './customers';
import { Problem } from './problem';
import { CUSTOMER_PATCH, ns4102Client } from './test-fixtures';

function problemOf(fn: () => unknown): Problem {
  try {
    fn();
  } catch (e) {
    if (e instanceof Problem) return e;
    throw e;
  }
  throw new Error('expected a Problem');
}

describe('customer numbers and the customer number series (10000–19999 on 1500)', () => {
  it('assigns the next free number of the default series when Number is omitted', () => {
    const client = ns4102Client();
    createCustomer(client, { Name: 'Taken', Number: 10001 });
    expect(createCustomer(client, { Name: 'A' }).fields.Number).toBe(10000);
    expect(createCustomer(client, { Name: 'B' }).fields.Number).toBe(10002);
  });

  it('takes a given number only inside a customer series, and only once', () => {
    const client = ns4102Client();
    const first = createCustomer(client, { Name: 'A', Number: 15000 });
    const outside = problemOf(() => createCustomer(client, { Name: 'B', Number: 5000 }));
    expect(outside).toMatchObject({ status: 400, title: 'Customer validation error(s)' });
    expect(outside.detail).toBe('Customer number 5000 is not within a customer number series (10000-19999).');
    expect(problemOf(() => createCustomer(client, { Name: 'C', Number: 15000 })).detail).toBe(
      `Customer number 15000 is already in use on (contact) Id = ${first.id}.`,
    );
  });

  it('needs a number series at all', () => {
    const client = ns4102Client();
    client.series.length = 0;
    expect(problemOf(() => createCustomer(client, { Name: 'A' })).detail).toContain('no customer number series');
  });
});

describe('customer rules', () => {
  it("keeps ExternalImportReference unique (case-insensitively), with Go's message", () => {
    const client = ns4102Client();
    const first = createCustomer(client, { Name: 'A', ExternalImportReference: 'ABC123' });
    expect(problemOf(() => createCustomer(client, { Name: 'B', ExternalImportReference: 'abc123' })).detail).toBe(
      `ExternalImportReference is already in use. 'abc123' is used on (contact) Id = ${first.id}.`,
    );
  });

  it('needs Name for a company and FirstName + LastName for a person', () => {
    const client = ns4102Client();
    expect(problemOf(() => createCustomer(client, {})).detail).toContain('Name is required');
    expect(problemOf(() => createCustomer(client, { IsPerson: true, FirstName: 'Kari' })).detail).toContain(
      'FirstName and LastName',
    );
    expect(createCustomer(client, { IsPerson: true, FirstName: 'Kari', LastName: 'Nordmann' }).fields.Name).toBe(
      'Kari Nordmann',
    );
  });

  it('needs City and ZipCode on an address, and stores the organisation number', () => {
    const client = ns4102Client();
    expect(problemOf(() => createCustomer(client, { Name: 'A', MailAddress: { City: 'Oslo' } })).detail).toContain(
      'City and ZipCode',
    );
    const c = createCustomer(client, {
      Name: 'A',
      OrganizationNumber: '999888777',
      MailAddress: { City: 'Oslo', ZipCode: '0150' },
    });
    expect(c.fields.OrganizationNumber).toBe('999888777');
    expect(c.address?.fields).toMatchObject({ City: 'Oslo', ZipCode: '0150', CountryCode: 'NO' });
  });

  it('gives every customer its own sub-ledger account id, distinct from its contact id', () => {
    const client = ns4102Client();
    const c = createCustomer(client, { Name: 'A' });
    expect(c.subledgerAccountId).not.toBe(c.id);
    expect(client.customersBySubledger.get(c.subledgerAccountId)).toBe(c);
  });
});

describe('PATCH and LastChangedDateTimeOffset', () => {
  it('moves LastChanged only on a real change; an address-only change moves the address timestamp', () => {
    const client = ns4102Client();
    const c = createCustomer(client, { Name: 'A', MailAddress: { City: 'Oslo', ZipCode: '0150' } });
    const created = c.lastChangedAt;
    const addressBefore = c.address!.lastChangedAt;

    patchCustomer(client, c, [{ op: 'replace', path: '/Name', value: 'A' }], CUSTOMER_PATCH);
    expect(c.lastChangedAt).toBe(created);

    patchCustomer(client, c, [{ op: 'replace', path: '/MailAddress/City', value: 'Bergen' }], CUSTOMER_PATCH);
    expect(c.lastChangedAt).toBe(created);
    expect(c.address!.lastChangedAt).toBeGreaterThan(addressBefore);

    patchCustomer(client, c, [{ op: 'replace', path: '/IsArchived', value: true }], CUSTOMER_PATCH);
    expect(c.fields.IsArchived).toBe(true);
    expect(c.lastChangedAt).toBeGreaterThan(created);
  });

  it('re-checks the rules after patching and keeps the indexes in step', () => {
    const client = ns4102Client();
    const a = createCustomer(client, { Name: 'A', ExternalImportReference: 'ref-a' });
    const b = createCustomer(client, { Name: 'B' });
    expect(
      problemOf(() =>
        patchCustomer(client, b, [{ op: 'replace', path: '/ExternalImportReference', value: 'REF-A' }], CUSTOMER_PATCH),
      ).detail,
    ).toBe(`ExternalImportReference is already in use. 'REF-A' is used on (contact) Id = ${a.id}.`);
    patchCustomer(client, b, [{ op: 'replace', path: '/Number', value: 12345 }], CUSTOMER_PATCH);
    expect(client.customersByNumber.get(12345)).toBe(b);
    expect(client.customersByNumber.has(10001)).toBe(false);
    expect(
      problemOf(() => patchCustomer(client, b, [{ op: 'replace', path: '/Number', value: 42 }], CUSTOMER_PATCH)).status,
    ).toBe(400);
  });
});

describe('listing customers', () => {
  it('filters by number ranges and by change time, exclusively', () => {
    const client = ns4102Client();
    const a = createCustomer(client, { Name: 'A', Number: 10000 });
    const b = createCustomer(client, { Name: 'B', Number: 12000 });
    const c = createCustomer(client, { Name: 'C', Number: 13500 });
    const numbers = (list: { fields: { Number: number } }[]): number[] => list.map((x) => x.fields.Number);
    expect(
      numbers(listCustomers(client, { customerNos: NumberFilter.parse('10000-11000, 12000', 'customerNos') })),
    ).toEqual([10000, 12000]);
    expect(numbers(listCustomers(client, { customerNos: NumberFilter.parse('13000-', 'customerNos') }))).toEqual([
      13500,
    ]);
    expect(listCustomers(client, { changedAfter: a.lastChangedAt })).toEqual([b, c]);
    expect(listCustomers(client, { changedAfter: c.lastChangedAt })).toEqual([]);
    expect(listCustomers(client, { createdAfter: b.createdAt })).toEqual([c]);
  });

  it('hides just-changed customers from change-filtered lists during read-replica lag', () => {
    const client = ns4102Client();
    const a = createCustomer(client, { Name: 'A' });
    const b = createCustomer(client, { Name: 'B' });
    expect(listCustomers(client, { changedAfter: 0, visibleUntil: a.lastChangedAt })).toEqual([a]);
    expect(listCustomers(client, { visibleUntil: a.lastChangedAt })).toEqual([a, b]);
  });
});

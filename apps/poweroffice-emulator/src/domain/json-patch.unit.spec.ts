import { applyJsonPatch, readPatchDocument } from './json-patch';
import { Problem } from './problem';
import { CUSTOMER_PATCH } from './test-fixtures';

const view = (): Record<string, unknown> => ({
  Name: 'Kunde AS',
  Number: 10001,
  IsArchived: false,
  ExternalImportReference: null,
  EmailAddress: 'post@kunde.no',
  ContactGroupIds: [1, 2],
  InvoiceDeliveryType: 'PdfByEmail',
  MailAddress: { City: 'Oslo', ZipCode: '0150', AddressLine1: null },
});

function problemOf(fn: () => unknown): Problem {
  try {
    fn();
  } catch (e) {
    if (e instanceof Problem) return e;
    throw e;
  }
  throw new Error('expected a Problem');
}

const patch = (ops: unknown): Record<string, unknown> =>
  applyJsonPatch(view(), readPatchDocument(ops, 'Customer'), CUSTOMER_PATCH, 'Customer');

describe('JSON Patch against a PatchDto', () => {
  it('replaces, adds and removes properties; paths are case-insensitive', () => {
    const out = patch([
      { op: 'replace', path: '/name', value: 'Nytt Navn AS' },
      { op: 'add', path: '/IsArchived', value: true },
      { op: 'remove', path: '/EmailAddress' },
      { op: 'replace', path: '/MailAddress/City', value: 'Bergen' },
    ]);
    expect(out).toMatchObject({ Name: 'Nytt Navn AS', IsArchived: true, EmailAddress: null });
    expect(out['MailAddress']).toEqual({ City: 'Bergen', ZipCode: '0150', AddressLine1: null });
  });

  it('leaves the original untouched', () => {
    const original = view();
    applyJsonPatch(
      original,
      readPatchDocument([{ op: 'replace', path: '/Name', value: 'X' }], 'Customer'),
      CUSTOMER_PATCH,
      'Customer',
    );
    expect(original['Name']).toBe('Kunde AS');
  });

  it('supports test, copy, move and array elements', () => {
    const out = patch([
      { op: 'test', path: '/Number', value: 10001 },
      { op: 'copy', from: '/Name', path: '/ExternalImportReference' },
      { op: 'add', path: '/ContactGroupIds/-', value: 3 },
      { op: 'remove', path: '/ContactGroupIds/0' },
    ]);
    expect(out['ExternalImportReference']).toBe('Kunde AS');
    expect(out['ContactGroupIds']).toEqual([2, 3]);
    const failed = problemOf(() => patch([{ op: 'test', path: '/Number', value: 1 }]));
    expect(failed.detail).toContain("is not equal to the test value '1'");
  });

  it('words an unknown path as Go does: "CustomerPatchDto: The target location specified by path segment \'x\' was not found."', () => {
    const p = problemOf(() => patch([{ op: 'replace', path: '/x', value: 1 }]));
    expect(p.status).toBe(400);
    expect(p.title).toBe('Customer validation error(s)');
    expect(p.detail).toBe("CustomerPatchDto: The target location specified by path segment 'x' was not found.");
    const nested = problemOf(() => patch([{ op: 'replace', path: '/MailAddress/addressLine3', value: 'x' }]));
    expect(nested.detail).toBe(
      "ContactAddressPatchDto: The target location specified by path segment 'addressLine3' was not found.",
    );
  });

  it('rejects a value of the wrong type for its target location', () => {
    expect(problemOf(() => patch([{ op: 'replace', path: '/Number', value: 'bogus' }])).detail).toBe(
      "CustomerPatchDto: The value 'bogus' is invalid for target location.",
    );
    expect(problemOf(() => patch([{ op: 'replace', path: '/IsArchived', value: 'yes' }])).detail).toContain(
      'invalid for target location',
    );
  });

  it('takes enums as strings only (case-insensitive), never as integers', () => {
    expect(patch([{ op: 'replace', path: '/InvoiceDeliveryType', value: 'print' }])['InvoiceDeliveryType']).toBe(
      'Print',
    );
    expect(problemOf(() => patch([{ op: 'replace', path: '/InvoiceDeliveryType', value: 2 }])).detail).toBe(
      "Enum 'invoicedeliverytype' with value = 2 is not valid. (Enums is not allowed to be represented as integers).",
    );
  });

  it('rejects a body that is not a patch document', () => {
    expect(problemOf(() => readPatchDocument({ Name: 'x' }, 'Customer')).detail).toContain('JSON Patch document');
    expect(problemOf(() => readPatchDocument([{ op: 'frobnicate', path: '/Name' }], 'Customer')).detail).toContain(
      "Invalid JsonPatch operation 'frobnicate'",
    );
    expect(problemOf(() => readPatchDocument([{ op: 'replace', path: '/Name' }], 'Customer')).detail).toContain(
      "a 'value' is required",
    );
  });
});

import { diffToPatch, patchToWire } from './json-patch';

interface Thing {
  name?: string | null;
  unitPrice?: number | null;
  isArchived?: boolean | null;
  contactGroupIds?: number[] | null;
  mailAddress?: { city?: string | null; zipCode?: string | null; addressLine1?: string | null } | null;
  id?: number;
}

describe('diffToPatch: desired vs current → replace operations', () => {
  const current: Thing = {
    id: 1,
    name: 'Kaffebrenneriet AS',
    unitPrice: 4500,
    isArchived: false,
    contactGroupIds: [1, 2],
    mailAddress: { city: 'Oslo', zipCode: '0150', addressLine1: null },
  };

  it('emits nothing when nothing differs (the call can be skipped)', () => {
    expect(
      diffToPatch(current, {
        name: 'Kaffebrenneriet AS',
        unitPrice: 4500,
        contactGroupIds: [1, 2],
        mailAddress: { city: 'Oslo' },
      }),
    ).toEqual([]);
  });

  it('replaces only changed fields; undefined means leave as is, null means clear', () => {
    expect(
      diffToPatch(current, {
        name: 'Kaffebrenneriet Oslo AS',
        unitPrice: undefined,
        isArchived: false,
        contactGroupIds: null,
      }),
    ).toEqual([
      { op: 'replace', path: '/name', value: 'Kaffebrenneriet Oslo AS' },
      { op: 'replace', path: '/contactGroupIds', value: null },
    ]);
  });

  it('treats "", null and missing as the same empty value', () => {
    expect(diffToPatch({ name: null } as Thing, { name: '' })).toEqual([]);
    expect(diffToPatch({} as Thing, { name: null })).toEqual([]);
    expect(diffToPatch({ name: 'x' } as Thing, { name: '' })).toEqual([{ op: 'replace', path: '/name', value: '' }]);
  });

  it('diffs nested objects field by field, or sets them whole when absent', () => {
    expect(diffToPatch(current, { mailAddress: { city: 'Bergen', zipCode: '0150' } })).toEqual([
      { op: 'replace', path: '/mailAddress/city', value: 'Bergen' },
    ]);
    expect(
      diffToPatch({ mailAddress: null } as Thing, {
        mailAddress: { city: 'Bergen', zipCode: '5003', addressLine1: undefined },
      }),
    ).toEqual([{ op: 'replace', path: '/mailAddress', value: { city: 'Bergen', zipCode: '5003' } }]);
  });

  it('compares arrays by content', () => {
    expect(diffToPatch(current, { contactGroupIds: [2, 1] })).toEqual([
      { op: 'replace', path: '/contactGroupIds', value: [2, 1] },
    ]);
  });

  it('ignores fields outside the PatchDto', () => {
    expect(diffToPatch<Thing>(current, { id: 9, name: 'New' }, { fields: ['name'] })).toEqual([
      { op: 'replace', path: '/name', value: 'New' },
    ]);
  });

  it('puts PascalCase pointers and NOK amounts on the wire', () => {
    const ops = diffToPatch(current, { unitPrice: 4990, mailAddress: { city: 'Bergen' }, name: 'N' });
    expect(patchToWire(ops, { money: ['unitPrice'] })).toEqual([
      { op: 'replace', path: '/UnitPrice', value: 49.9 },
      { op: 'replace', path: '/MailAddress/City', value: 'Bergen' },
      { op: 'replace', path: '/Name', value: 'N' },
    ]);
    expect(
      patchToWire([{ op: 'replace', path: '/mailAddress', value: { city: 'Bergen', zipCode: '5003' } }], {}),
    ).toEqual([{ op: 'replace', path: '/MailAddress', value: { City: 'Bergen', ZipCode: '5003' } }]);
  });
});

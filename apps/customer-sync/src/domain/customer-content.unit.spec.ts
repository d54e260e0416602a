import { CustomerChanged, customerChangedExample } from '@lib/contracts';
import type { Customer } from '@lib/poweroffice';
import {
  contentFromEvent,
  contentFromPowerOffice,
  contentHash,
  newCustomerBody,
  patchFromKnownContent,
  patchFromPowerOffice,
} from './customer-content';

const company: CustomerChanged = { ...customerChangedExample, address: { ...customerChangedExample.address! } };
const person: CustomerChanged = {
  customerId: 'c-2002',
  isPerson: true,
  firstName: 'Kari',
  lastName: 'Nordmann',
  email: 'kari@example.no',
  active: true,
  version: 1,
  changedAt: '2026-03-14T10:15:00+01:00',
};

/** What PowerOffice answers after creating `body` (as the emulator and Go do: ids, derived name, defaults). */
function asCreatedInPowerOffice(event: CustomerChanged, number = 10001): Customer {
  const body = newCustomerBody(contentFromEvent(event), 'oop-c-x');
  return {
    ...body,
    id: 7340012,
    subledgerAccountId: 7340013,
    number: body.number ?? number,
    name: body.isPerson ? `${body.firstName} ${body.lastName}` : body.name,
    isArchived: body.isArchived ?? false,
    mailAddress: body.mailAddress
      ? {
          id: 1,
          ...body.mailAddress,
          countryCode: body.mailAddress.countryCode ?? 'NO',
          externalCode: null,
          lastChangedDateTimeOffset: '2026-03-14T10:16:02.0000000+01:00',
        }
      : null,
    lastChangedDateTimeOffset: '2026-03-14T10:16:02.1234567+01:00',
  };
}

describe('customer content', () => {
  it.each([
    [
      'a company',
      company,
      { isPerson: false, name: 'Fjordkafeen AS', organizationNumber: '999999999', customerNumber: 10001 },
    ],
    ['a person (named by first and last name)', person, { isPerson: true, firstName: 'Kari', lastName: 'Nordmann' }],
    [
      'an address without country (Norway)',
      { ...company, address: { line1: 'Storgata 1', postalCode: '0155', city: 'Oslo' } },
      { address: { line1: 'Storgata 1', postalCode: '0155', city: 'Oslo', countryCode: 'NO' } },
    ],
    ['inactive', { ...company, active: false }, { active: false }],
  ])('from an event: %s', (_case, event, expected) => {
    expect(contentFromEvent(event)).toMatchObject(expected);
  });

  it('empty text is absent', () => {
    const content = contentFromEvent({ ...company, phone: '', email: '  ' });
    expect(content).not.toHaveProperty('phone');
    expect(content).not.toHaveProperty('email');
  });

  it('a person carries no company name and a company no first/last name', () => {
    expect(contentFromEvent({ ...person, name: 'ignored' })).not.toHaveProperty('name');
    expect(contentFromEvent({ ...company, firstName: 'Ola', lastName: 'Nordmann' })).not.toHaveProperty('firstName');
  });

  it.each([
    ['a company', company],
    ['a person', person],
    ['an archived company without address', { ...company, address: undefined, active: false }],
  ])('reads back from PowerOffice as the same content: %s', (_case, event) => {
    const desired = contentFromEvent(event);
    const read = contentFromPowerOffice(asCreatedInPowerOffice(event));
    expect(read).toEqual({ ...desired, customerNumber: read.customerNumber });
    expect(patchFromPowerOffice(asCreatedInPowerOffice(event), desired)).toEqual([]);
  });

  it('the hash ignores key order and absent fields, and sees every value', () => {
    const a = contentFromEvent(company);
    const reordered = Object.fromEntries(Object.entries(a).reverse()) as typeof a;
    expect(contentHash(reordered)).toBe(contentHash(a));
    expect(contentHash({ ...a, phone: undefined })).toBe(
      contentHash(Object.fromEntries(Object.entries(a).filter(([k]) => k !== 'phone')) as typeof a),
    );
    expect(contentHash({ ...a, phone: '+47 22 00 00 01' })).not.toBe(contentHash(a));
  });

  it('the create body has our reference and no nulls', () => {
    const body = newCustomerBody(contentFromEvent({ ...company, phone: undefined }), 'oop-c-abc');
    expect(body).toMatchObject({
      externalImportReference: 'oop-c-abc',
      name: 'Fjordkafeen AS',
      number: 10001,
      isArchived: false,
    });
    expect(Object.values(body).filter((v) => v === null)).toEqual([]);
    expect(body).not.toHaveProperty('phoneNumber');
    expect(body.mailAddress).toEqual({ addressLine1: 'Storgata 1', zipCode: '0155', city: 'Oslo', countryCode: 'NO' });
  });

  const known = contentFromEvent(company);
  it.each([
    ['nothing changed', company, []],
    [
      'the phone',
      { ...company, phone: '+47 22 00 00 01' },
      [{ op: 'replace', path: '/phoneNumber', value: '+47 22 00 00 01' }],
    ],
    [
      'the e-mail removed (cleared)',
      { ...company, email: undefined },
      [{ op: 'replace', path: '/emailAddress', value: null }],
    ],
    [
      'only the city (one nested field)',
      { ...company, address: { ...company.address!, city: 'Bergen' } },
      [{ op: 'replace', path: '/mailAddress/city', value: 'Bergen' }],
    ],
    ['archived', { ...company, active: false }, [{ op: 'replace', path: '/isArchived', value: true }]],
    ['a new number', { ...company, customerNumber: 10002 }, [{ op: 'replace', path: '/number', value: 10002 }]],
    ['no number any more (PowerOffice keeps its number)', { ...company, customerNumber: undefined }, []],
  ])('the patch when %s', (_case, next, ops) => {
    expect(patchFromKnownContent(known, contentFromEvent(next))).toEqual(ops);
  });

  it('an address added to a customer without one is sent whole', () => {
    const without = contentFromEvent({ ...company, address: undefined });
    expect(patchFromKnownContent(without, known)).toEqual([
      {
        op: 'replace',
        path: '/mailAddress',
        value: { addressLine1: 'Storgata 1', addressLine2: null, zipCode: '0155', city: 'Oslo', countryCode: 'NO' },
      },
    ]);
  });

  it('against PowerOffice, fields the integration does not manage are left alone', () => {
    const current = { ...asCreatedInPowerOffice(company), paymentTermId: 3, websiteUrl: 'https://fjordkafeen.example' };
    expect(patchFromPowerOffice(current, known)).toEqual([]);
  });
});

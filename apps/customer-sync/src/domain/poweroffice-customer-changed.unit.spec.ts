import { validateEventData } from '@lib/contracts';
import type { Customer } from '@lib/poweroffice';
import { powerOfficeChangeData, powerOfficeChangeEventId } from './poweroffice-customer-changed';

const company: Customer = {
  id: 7340012,
  subledgerAccountId: 7340013,
  number: 10001,
  isPerson: false,
  name: 'Fjordkafeen AS',
  organizationNumber: '999 999 999',
  emailAddress: 'post@fjordkafeen.example',
  invoiceEmailAddress: 'faktura@fjordkafeen.example',
  phoneNumber: null,
  mailAddress: {
    id: 1,
    addressLine1: 'Storgata 1',
    addressLine2: null,
    zipCode: '0155',
    city: 'Oslo',
    countryCode: 'no',
  },
  isArchived: false,
  lastChangedDateTimeOffset: '2026-03-14T10:16:02.1234567+01:00',
};

describe('PowerOfficeCustomerChanged from a PowerOffice customer', () => {
  it('carries the ids, the POS id when mapped, the customer fields and PowerOffice’s change time', () => {
    const built = powerOfficeChangeData(company, 'c-1001');
    expect(built).toEqual({
      ok: true,
      dropped: [],
      data: {
        powerOffice: { customerId: 7340012, customerNumber: 10001 },
        customerId: 'c-1001',
        isPerson: false,
        name: 'Fjordkafeen AS',
        organizationNumber: '999999999',
        email: 'post@fjordkafeen.example',
        invoiceEmail: 'faktura@fjordkafeen.example',
        address: { line1: 'Storgata 1', postalCode: '0155', city: 'Oslo', countryCode: 'NO' },
        active: true,
        changedAt: '2026-03-14T10:16:02.1234567+01:00',
      },
    });
    if (built.ok) expect(validateEventData('PowerOfficeCustomerChanged', built.data)).toEqual([]);
  });

  it.each([
    ['a foreign organisation number', { organizationNumber: 'SE556677-8899' }, ['organizationNumber']],
    ['an address without a street', { mailAddress: { zipCode: '0155', city: 'Oslo' } }, ['address']],
    ['an over-long phone number', { phoneNumber: '1'.repeat(60) }, ['phone']],
  ])('leaves out %s and says so', (_case, overrides, dropped) => {
    const built = powerOfficeChangeData({ ...company, ...overrides } as Customer);
    expect(built).toMatchObject({ ok: true, dropped });
  });

  it('an archived customer is inactive; an unmapped one has no POS id', () => {
    const built = powerOfficeChangeData({ ...company, isArchived: true });
    expect(built.ok && built.data.active).toBe(false);
    expect(built.ok && 'customerId' in built.data).toBe(false);
  });

  it('a company without a name cannot be published', () => {
    expect(powerOfficeChangeData({ ...company, name: null })).toMatchObject({
      ok: false,
      problems: [{ field: 'name' }],
    });
  });

  it('the event id is the same for the same version, whatever the spelling of the time', () => {
    const id = powerOfficeChangeEventId('shop-1', 7340012, '2026-03-14T10:16:02.1234567+01:00');
    expect(powerOfficeChangeEventId('shop-1', 7340012, '2026-03-14T09:16:02.1234567Z')).toBe(id);
    expect(powerOfficeChangeEventId('shop-1', 7340012, '2026-03-14T09:16:02.1234568Z')).not.toBe(id);
    expect(powerOfficeChangeEventId('shop-2', 7340012, '2026-03-14T09:16:02.1234567Z')).not.toBe(id);
  });
});

import { CustomerChanged, customerChangedExample } from '@lib/contracts';
import type { Customer } from '@lib/poweroffice';
import { contentFromEvent, contentHash, CustomerContent } from './customer-content';
import {
  createAction,
  decideFromKnown,
  decideFromPowerOffice,
  holdsContent,
  isOlderVersion,
  KnownCustomer,
  patchAction,
  powerOfficeEditWins,
} from './sync-decision';

const event: CustomerChanged = { ...customerChangedExample, changedAt: '2026-03-14T10:15:00+01:00' };
const content = contentFromEvent(event);

/** Given: what an earlier sync recorded. */
function known(overrides: Partial<KnownCustomer> = {}): KnownCustomer & { content: CustomerContent } {
  return {
    lastVersion: 3,
    contentHash: contentHash(content),
    content,
    poLastChanged: '2026-03-14T09:16:02.0000000Z',
    poEditedAt: null,
    ...overrides,
  } as KnownCustomer & { content: CustomerContent };
}

/** When: the POS sends `next`. */
function decide(given: KnownCustomer & { content: CustomerContent }, next: CustomerChanged) {
  const desired = contentFromEvent(next);
  return decideFromKnown(given, desired, contentHash(desired), next.changedAt);
}

describe('POS → PowerOffice decisions', () => {
  it.each([
    [null, 1, false],
    [3, 2, true],
    [3, 3, false],
    [3, 4, false],
  ])('last applied version %j, event version %i → older: %s', (last, version, older) => {
    expect(isOlderVersion(last, version)).toBe(older);
  });

  it.each([
    [null, '2026-03-14T10:15:00+01:00', false],
    ['2026-03-14T09:20:00.0000000Z', '2026-03-14T10:15:00+01:00', true],
    ['2026-03-14T09:10:00.0000000Z', '2026-03-14T10:15:00+01:00', false],
    // Equal times go to the POS.
    ['2026-03-14T09:15:00.0000000Z', '2026-03-14T10:15:00+01:00', false],
  ])('PowerOffice edited at %j, POS changed at %s → PowerOffice wins: %s', (edit, change, wins) => {
    expect(powerOfficeEditWins(edit, change)).toBe(wins);
  });

  it.each([
    [true, true, 'updated'],
    [true, false, 'archived'],
    [false, true, 'updated'],
    [false, false, 'updated'],
  ])('patch from active=%s to active=%s is %s', (was, will, action) => {
    expect(patchAction(was, will)).toBe(action);
  });

  it('a new customer is created, or archived when the POS says it is inactive', () => {
    expect(createAction(content)).toBe('created');
    expect(createAction({ ...content, active: false })).toBe('archived');
  });

  describe('live, from what was recorded (no PowerOffice call)', () => {
    it.each([
      ['the same content', known(), event, { kind: 'unchanged', reason: 'same-content' }],
      [
        'a new phone number',
        known(),
        { ...event, version: 4, phone: '+47 22 00 00 01' },
        {
          kind: 'patch',
          action: 'updated',
          operations: [{ op: 'replace', path: '/phoneNumber', value: '+47 22 00 00 01' }],
        },
      ],
      [
        'inactive',
        known(),
        { ...event, version: 4, active: false },
        { kind: 'patch', action: 'archived', operations: [{ op: 'replace', path: '/isArchived', value: true }] },
      ],
      [
        'a change older than a PowerOffice-side edit',
        known({ poEditedAt: '2026-03-14T09:30:00.0000000Z' }),
        { ...event, version: 4, phone: '+47 22 00 00 01' },
        { kind: 'unchanged', reason: 'poweroffice-newer' },
      ],
      [
        'a change newer than a PowerOffice-side edit',
        known({ poEditedAt: '2026-03-14T09:00:00.0000000Z' }),
        { ...event, version: 4, phone: '+47 22 00 00 01' },
        { kind: 'patch', action: 'updated' },
      ],
      [
        'a different hash but nothing PowerOffice holds differs (the POS stopped sending the number)',
        known(),
        { ...event, version: 4, customerNumber: undefined },
        { kind: 'unchanged', reason: 'nothing-differs' },
      ],
    ])('given %s', (_case, given, next, then) => {
      expect(decide(given, next)).toMatchObject(then);
    });
  });

  describe('against PowerOffice (replay, linking, recovery)', () => {
    const current: Customer = {
      id: 7340012,
      subledgerAccountId: 7340013,
      number: 10001,
      isPerson: false,
      name: 'Fjordkafeen AS',
      organizationNumber: '999999999',
      emailAddress: 'post@fjordkafeen.example',
      invoiceEmailAddress: 'faktura@fjordkafeen.example',
      phoneNumber: '+47 22 00 00 00',
      mailAddress: { addressLine1: 'Storgata 1', zipCode: '0155', city: 'Oslo', countryCode: 'NO' },
      isArchived: false,
      lastChangedDateTimeOffset: '2026-03-14T10:20:00.0000000+01:00',
    };

    it.each([
      [
        'PowerOffice already holds it',
        current,
        content,
        { posChangedAt: event.changedAt, ourLastChanged: null, lastWriterWins: false },
        { kind: 'unchanged', reason: 'nothing-differs' },
      ],
      [
        'PowerOffice drifted (an edit not ours, older than the POS change)',
        { ...current, phoneNumber: '999', lastChangedDateTimeOffset: '2026-03-14T10:00:00.0000000+01:00' },
        content,
        { posChangedAt: event.changedAt, ourLastChanged: null, lastWriterWins: true },
        {
          kind: 'patch',
          action: 'updated',
          operations: [{ op: 'replace', path: '/phoneNumber', value: '+47 22 00 00 00' }],
        },
      ],
      [
        'an edit not ours, newer than the POS change',
        { ...current, phoneNumber: '999' },
        content,
        { posChangedAt: event.changedAt, ourLastChanged: '2026-03-14T09:00:00.0000000Z', lastWriterWins: true },
        { kind: 'unchanged', reason: 'poweroffice-newer' },
      ],
      [
        'the newer version is our own write',
        { ...current, phoneNumber: '999' },
        content,
        { posChangedAt: event.changedAt, ourLastChanged: '2026-03-14T09:20:00.0000000Z', lastWriterWins: true },
        { kind: 'patch', action: 'updated' },
      ],
      [
        'linking: the POS wins however new the PowerOffice customer is',
        { ...current, phoneNumber: '999' },
        content,
        { posChangedAt: event.changedAt, ourLastChanged: null, lastWriterWins: false },
        { kind: 'patch', action: 'updated' },
      ],
      [
        'an archived customer the POS reactivates',
        { ...current, isArchived: true },
        content,
        { posChangedAt: event.changedAt, ourLastChanged: null, lastWriterWins: false },
        { kind: 'patch', action: 'updated', operations: [{ op: 'replace', path: '/isArchived', value: false }] },
      ],
    ])('given %s', (_case, po, desired, options, then) => {
      expect(decideFromPowerOffice(po, desired, options)).toMatchObject(then);
    });

    it('holdsContent: true when every managed field matches, whatever else PowerOffice has', () => {
      expect(holdsContent({ ...current, paymentTermId: 7 }, content)).toBe(true);
      expect(holdsContent({ ...current, phoneNumber: '999' }, content)).toBe(false);
    });
  });
});

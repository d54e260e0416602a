import { FieldProblem, PowerOfficeCustomerChanged, URL_NAMESPACE, uuidv5, validateEventData } from '@lib/contracts';
import type { Customer } from '@lib/poweroffice';
import { parseInstant } from './instant';

/** Name space of PowerOfficeCustomerChanged event ids (fixed: changing it would change every id). */
const CHANGE_ID_NAMESPACE = uuidv5('urn:open-one-poweroffice:poweroffice-customer-changed', URL_NAMESPACE);

/**
 * The event id of one PowerOffice-side change: the same customer version always gets the same id,
 * so a round repeated after a crash republishes nothing new to consumers that de-duplicate on ce_id.
 */
export function powerOfficeChangeEventId(tenantId: string, poCustomerId: number, lastChanged: string): string {
  const ticks = parseInstant(lastChanged);
  return uuidv5(
    JSON.stringify([tenantId, poCustomerId, ticks === null ? lastChanged : ticks.toString()]),
    CHANGE_ID_NAMESPACE,
  );
}

/** Optional fields PowerOffice may hold in a shape the contract does not accept; left out rather than blocking the event. */
const DROPPABLE = new Set([
  'organizationNumber',
  'email',
  'invoiceEmail',
  'phone',
  'address',
  'firstName',
  'lastName',
  'name',
]);

export type PowerOfficeChangeData =
  { ok: true; data: PowerOfficeCustomerChanged; dropped: string[] } | { ok: false; problems: FieldProblem[] };

function text(value: string | null | undefined): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/**
 * PowerOfficeCustomerChanged data for a PowerOffice customer: the customer fields as in
 * CustomerChanged, the POS id when mapped, and `changedAt` = PowerOffice's LastChangedDateTimeOffset.
 * PowerOffice accepts data the contract does not (foreign organisation numbers, an address
 * without a street); such optional fields are dropped and named, so the event still goes out.
 */
export function powerOfficeChangeData(customer: Customer, posCustomerId?: string): PowerOfficeChangeData {
  const isPerson = customer.isPerson === true;
  const org = text(customer.organizationNumber)?.replace(/\s+/g, '');
  const a = customer.mailAddress;
  const data: Record<string, unknown> = {
    powerOffice: { customerId: customer.id, customerNumber: customer.number },
    ...(posCustomerId !== undefined ? { customerId: posCustomerId } : {}),
    isPerson,
    name: text(customer.name),
    firstName: text(customer.firstName),
    lastName: text(customer.lastName),
    organizationNumber: org,
    email: text(customer.emailAddress),
    invoiceEmail: text(customer.invoiceEmailAddress),
    phone: text(customer.phoneNumber),
    address:
      a && [a.addressLine1, a.zipCode, a.city].some((v) => text(v) !== undefined)
        ? {
            line1: a.addressLine1 ?? '',
            ...(text(a.addressLine2) ? { line2: a.addressLine2 } : {}),
            postalCode: a.zipCode ?? '',
            city: a.city ?? '',
            countryCode: (text(a.countryCode) ?? 'NO').toUpperCase(),
          }
        : undefined,
    active: customer.isArchived !== true,
    changedAt: customer.lastChangedDateTimeOffset,
  };
  for (const [k, v] of Object.entries(data)) if (v === undefined) delete data[k];

  const dropped: string[] = [];
  for (;;) {
    const problems = validateEventData('PowerOfficeCustomerChanged', data);
    if (problems.length === 0) return { ok: true, data: data as unknown as PowerOfficeCustomerChanged, dropped };
    const fields = [...new Set(problems.map((p) => p.field.split(/[.[]/)[0]))];
    const droppable = fields.filter((f) => DROPPABLE.has(f) && f in data && !isRequiredName(f, isPerson));
    if (droppable.length === 0 || droppable.length !== fields.length) return { ok: false, problems };
    for (const f of droppable) {
      delete data[f];
      dropped.push(f);
    }
  }
}

/** A company's name and a person's first and last name are what the customer is; never dropped. */
function isRequiredName(field: string, isPerson: boolean): boolean {
  return isPerson ? field === 'firstName' || field === 'lastName' : field === 'name';
}

import { createHash } from 'node:crypto';
import type { CustomerChanged } from '@lib/contracts';
import {
  diffToPatch,
  type Customer,
  type CustomerChanges,
  type NewCustomer,
  type PatchOperation,
} from '@lib/poweroffice';

/**
 * The customer as both systems hold it, in POS terms and normalised, so that the same customer
 * read from either side compares equal: empty text is absent, a country defaults to NO, a company
 * is named by `name` and a person by first and last name (PowerOffice derives a person's Name).
 */
export interface CustomerContent {
  isPerson: boolean;
  /** Companies only. */
  name?: string;
  /** Persons only. */
  firstName?: string;
  lastName?: string;
  organizationNumber?: string;
  email?: string;
  invoiceEmail?: string;
  phone?: string;
  address?: ContentAddress;
  active: boolean;
  /** Only when the POS manages the number; otherwise PowerOffice assigns it and owns it. */
  customerNumber?: number;
}

export interface ContentAddress {
  line1: string;
  line2?: string;
  postalCode: string;
  city: string;
  countryCode: string;
}

const DEFAULT_COUNTRY = 'NO';

function present(value: string | null | undefined): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

function withoutAbsent<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** What a CustomerChanged asks PowerOffice to hold. */
export function contentFromEvent(event: CustomerChanged): CustomerContent {
  const address = event.address
    ? withoutAbsent<ContentAddress>({
        line1: event.address.line1,
        line2: present(event.address.line2),
        postalCode: event.address.postalCode,
        city: event.address.city,
        countryCode: present(event.address.countryCode) ?? DEFAULT_COUNTRY,
      })
    : undefined;
  return withoutAbsent<CustomerContent>({
    isPerson: event.isPerson,
    name: event.isPerson ? undefined : present(event.name),
    firstName: event.isPerson ? present(event.firstName) : undefined,
    lastName: event.isPerson ? present(event.lastName) : undefined,
    organizationNumber: present(event.organizationNumber),
    email: present(event.email),
    invoiceEmail: present(event.invoiceEmail),
    phone: present(event.phone),
    address,
    active: event.active,
    customerNumber: event.customerNumber,
  });
}

/** What PowerOffice holds, in the same terms (the number included: PowerOffice always has one). */
export function contentFromPowerOffice(customer: Customer): CustomerContent {
  const isPerson = customer.isPerson === true;
  const a = customer.mailAddress;
  const hasAddress = !!a && [a.addressLine1, a.addressLine2, a.zipCode, a.city].some((v) => present(v) !== undefined);
  return withoutAbsent<CustomerContent>({
    isPerson,
    name: isPerson ? undefined : present(customer.name),
    firstName: isPerson ? present(customer.firstName) : undefined,
    lastName: isPerson ? present(customer.lastName) : undefined,
    organizationNumber: present(customer.organizationNumber),
    email: present(customer.emailAddress),
    invoiceEmail: present(customer.invoiceEmailAddress),
    phone: present(customer.phoneNumber),
    address:
      hasAddress && a
        ? withoutAbsent<ContentAddress>({
            line1: a.addressLine1 ?? '',
            line2: present(a.addressLine2),
            postalCode: a.zipCode ?? '',
            city: a.city ?? '',
            countryCode: present(a.countryCode) ?? DEFAULT_COUNTRY,
          })
        : undefined,
    active: customer.isArchived !== true,
    customerNumber: customer.number ?? undefined,
  });
}

/** Stable hash of a content (keys sorted, absent fields left out). */
export function contentHash(content: CustomerContent): string {
  return `sha256:${createHash('sha256').update(canonicalJson(content)).digest('hex')}`;
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The CustomerPatchDto fields this integration manages; PowerOffice-only settings are never touched. */
export const MANAGED_FIELDS = [
  'isPerson',
  'name',
  'firstName',
  'lastName',
  'organizationNumber',
  'emailAddress',
  'invoiceEmailAddress',
  'phoneNumber',
  'mailAddress',
  'isArchived',
  'number',
] as const satisfies readonly (keyof CustomerChanges)[];

/**
 * The PowerOffice fields for a content. Optional fields the POS left out are `null` (clear them in
 * PowerOffice); the other kind's names and an unmanaged number are left out (leave them as they are).
 */
export function powerOfficeFields(content: CustomerContent): CustomerChanges {
  const a = content.address;
  return {
    isPerson: content.isPerson,
    ...(content.isPerson
      ? { firstName: content.firstName ?? null, lastName: content.lastName ?? null }
      : { name: content.name ?? null }),
    organizationNumber: content.organizationNumber ?? null,
    emailAddress: content.email ?? null,
    invoiceEmailAddress: content.invoiceEmail ?? null,
    phoneNumber: content.phone ?? null,
    mailAddress: a
      ? {
          addressLine1: a.line1,
          addressLine2: a.line2 ?? null,
          zipCode: a.postalCode,
          city: a.city,
          countryCode: a.countryCode,
        }
      : null,
    isArchived: !content.active,
    ...(content.customerNumber !== undefined ? { number: content.customerNumber } : {}),
  };
}

/** POST /Customers body: the content, our idempotency reference, nothing set to null. */
export function newCustomerBody(content: CustomerContent, externalImportReference: string): NewCustomer {
  const fields = powerOfficeFields(content);
  const body = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== null)) as NewCustomer;
  if (content.address) {
    const a = content.address;
    body.mailAddress = withoutAbsent({
      addressLine1: a.line1,
      addressLine2: a.line2,
      zipCode: a.postalCode,
      city: a.city,
      countryCode: a.countryCode,
    });
  }
  return { ...body, externalImportReference };
}

/**
 * The JSON Patch that turns what PowerOffice holds (as we last knew it) into `next`: only the
 * fields that differ, nested address fields one by one. Empty = no call.
 */
export function patchFromKnownContent(known: CustomerContent, next: CustomerContent): PatchOperation[] {
  return diffToPatch<CustomerChanges>(powerOfficeFields(known), powerOfficeFields(next), { fields: MANAGED_FIELDS });
}

/** The JSON Patch that turns PowerOffice's current customer into `next` (replay, linking, recovery). */
export function patchFromPowerOffice(current: Customer, next: CustomerContent): PatchOperation[] {
  return diffToPatch<CustomerChanges>(current as CustomerChanges, powerOfficeFields(next), { fields: MANAGED_FIELDS });
}

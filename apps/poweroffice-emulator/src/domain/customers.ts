import { AddressFields, Customer, CustomerFields, GoClient, key, NumberSeries } from './go-client';
import { applyJsonPatch, PatchDtoSpec, PatchOperation } from './json-patch';
import { bool, changedAfter, differs, int, text, without } from './master-data';
import { NumberFilter } from './filters';
import { notFound, validationProblem, Violations } from './problem';
import { Ticks } from './time';

const ENTITY = 'Customer';

/** Body fields that are instructions, not stored values (ids win over codes; the series picks a number). */
const NOT_STORED = new Set([
  'MailAddress',
  'SubLedgerNumberSeriesId',
  'DepartmentCode',
  'DeliveryTerm',
  'InvoiceBrandingThemeCode',
  'SalesPersonEmployeeNumber',
]);

const ADDRESS_FIELDS: readonly (keyof AddressFields)[] = [
  'AddressLine1',
  'AddressLine2',
  'ZipCode',
  'City',
  'CountryCode',
  'ExternalCode',
];

/** POST /Customers: a new customer (a contact with a customer role) from a CustomerPostDto body. */
export function createCustomer(client: GoClient, body: Record<string, unknown>): Customer {
  const isPerson = bool(body, 'IsPerson') ?? false;
  const departmentId = resolveDepartment(client, body);
  const requested = int(body, 'Number');
  const series = pickSeries(client, body);
  const fields: CustomerFields = {
    ...without(body, NOT_STORED),
    Number: requested ?? 0,
    IsPerson: isPerson,
    Name: text(body, 'Name'),
    FirstName: text(body, 'FirstName'),
    LastName: text(body, 'LastName'),
    ExternalImportReference: text(body, 'ExternalImportReference'),
    ExternalNumber: int(body, 'ExternalNumber'),
    OrganizationNumber: text(body, 'OrganizationNumber'),
    IsArchived: bool(body, 'IsArchived') ?? false,
    DepartmentId: departmentId,
    EmailAddress: text(body, 'EmailAddress'),
    InvoiceEmailAddress: text(body, 'InvoiceEmailAddress'),
    InvoiceDeliveryType: text(body, 'InvoiceDeliveryType'),
    IsVatFree: bool(body, 'IsVatFree') ?? false,
    CurrencyCode: text(body, 'CurrencyCode') ?? 'NOK',
    // Go's default payment terms when none is given.
    PaymentTerm: int(body, 'PaymentTerm') ?? 14,
  };
  deriveName(fields);
  const address = addressFields(body['MailAddress']);

  const violations = new Violations();
  checkCustomer(client, fields, address, null, violations);
  if (requested !== null) checkRequestedNumber(client, requested, series, null, violations);
  violations.throwIfAny(ENTITY);

  if (requested === null) fields.Number = nextFreeNumber(client, series);

  const now = client.clock.tick();
  const customer: Customer = {
    id: client.ids.take(),
    subledgerAccountId: client.ids.take(),
    createdAt: now,
    contactCreatedAt: now,
    lastChangedAt: now,
    fields,
    address: address ? { id: client.ids.take(), lastChangedAt: now, fields: address } : null,
  };
  index(client, customer);
  return customer;
}

/** The customer as its CustomerPatchDto: the document a JSON Patch operates on. */
export function customerPatchView(customer: Customer, spec: PatchDtoSpec): Record<string, unknown> {
  const view: Record<string, unknown> = {};
  for (const field of spec.fields.values()) {
    view[field.name] =
      field.name === 'MailAddress'
        ? customer.address
          ? { ...customer.address.fields }
          : null
        : (customer.fields[field.name] ?? null);
  }
  return view;
}

/**
 * PATCH /Customers/{id}. LastChangedDateTimeOffset moves only when a customer field really changes;
 * an address-only change moves the address's own timestamp, not the customer's (as Go documents).
 */
export function patchCustomer(
  client: GoClient,
  customer: Customer,
  operations: readonly PatchOperation[],
  spec: PatchDtoSpec,
): Customer {
  const before = customerPatchView(customer, spec);
  const after = applyJsonPatch(before, operations, spec, ENTITY);

  const fields: CustomerFields = { ...customer.fields };
  for (const field of spec.fields.values()) {
    if (field.name !== 'MailAddress') fields[field.name] = after[field.name];
  }
  fields.IsPerson = fields.IsPerson === true;
  fields.IsArchived = fields.IsArchived === true;
  fields.IsVatFree = fields.IsVatFree === true;
  fields.CurrencyCode =
    typeof fields.CurrencyCode === 'string' && fields.CurrencyCode !== '' ? fields.CurrencyCode : 'NOK';
  deriveName(fields);
  const address = addressFields(after['MailAddress']);

  const violations = new Violations();
  checkCustomer(client, fields, address, customer, violations);
  if (typeof fields.Number !== 'number') violations.add('Number: a customer must have a customer number.');
  else if (fields.Number !== customer.fields.Number)
    checkRequestedNumber(client, fields.Number, null, customer, violations);
  if (
    fields.DepartmentId !== null &&
    fields.DepartmentId !== customer.fields.DepartmentId &&
    !client.departments.has(fields.DepartmentId)
  ) {
    throw validationProblem(ENTITY, [`Department with id = ${fields.DepartmentId} not found.`], 404);
  }
  violations.throwIfAny(ENTITY);

  const fieldNames = [...spec.fields.values()].map((f) => f.name).filter((n) => n !== 'MailAddress');
  const fieldsChanged = differs(customer.fields, fields, [...fieldNames, 'Name']);
  const addressChanged = JSON.stringify(customer.address?.fields ?? null) !== JSON.stringify(address);

  if (fieldsChanged) {
    unindex(client, customer);
    customer.fields = fields;
    customer.lastChangedAt = client.clock.tick();
    index(client, customer);
  }
  if (addressChanged) {
    if (address === null) customer.address = null;
    else if (customer.address === null) {
      customer.address = { id: client.ids.take(), lastChangedAt: client.clock.tick(), fields: address };
    } else {
      customer.address = { ...customer.address, lastChangedAt: client.clock.tick(), fields: address };
    }
  }
  return customer;
}

export function getCustomer(client: GoClient, id: number): Customer {
  const customer = client.customers.get(id);
  if (!customer) throw notFound(`Customer with id = ${id} not found.`);
  return customer;
}

export interface CustomerQuery {
  customerNos?: NumberFilter;
  externalNos?: NumberFilter;
  externalImportReference?: string;
  contactGroupIds?: ReadonlySet<number>;
  createdAfter?: Ticks;
  changedAfter?: Ticks;
  /** Read-replica lag: changes after this instant are not yet visible to change-filtered lists. */
  visibleUntil?: Ticks;
}

/** GET /Customers: filters applied in Go's order, using an index when the filter allows it. */
export function listCustomers(client: GoClient, q: CustomerQuery): Customer[] {
  let candidates: Iterable<Customer>;
  if (q.externalImportReference !== undefined) {
    const hit = client.customersByReference.get(key(q.externalImportReference));
    candidates = hit ? [hit] : [];
  } else {
    const exact = q.customerNos?.exactValues();
    if (exact) {
      candidates = exact
        .map((n) => client.customersByNumber.get(n))
        .filter((c): c is Customer => c !== undefined)
        .sort((a, b) => a.id - b.id);
    } else {
      candidates = client.customers.values();
    }
  }
  const lagged = q.createdAfter !== undefined || q.changedAfter !== undefined ? q.visibleUntil : undefined;
  const out: Customer[] = [];
  for (const c of candidates) {
    if (q.customerNos && !q.customerNos.matches(c.fields.Number)) continue;
    if (q.externalNos && !q.externalNos.matches(c.fields.ExternalNumber)) continue;
    if (q.contactGroupIds && !hasAnyGroup(c, q.contactGroupIds)) continue;
    if (q.createdAfter !== undefined && !changedAfter(c.createdAt, q.createdAfter, lagged)) continue;
    if (q.changedAfter !== undefined && !changedAfter(c.lastChangedAt, q.changedAfter, lagged)) continue;
    out.push(c);
  }
  return out;
}

function hasAnyGroup(c: Customer, groups: ReadonlySet<number>): boolean {
  const ids = c.fields['ContactGroupIds'];
  return Array.isArray(ids) && ids.some((id) => groups.has(id as number));
}

/** Persons are named by their first and last name. */
function deriveName(fields: CustomerFields): void {
  if (fields.IsPerson && fields.FirstName && fields.LastName) fields.Name = `${fields.FirstName} ${fields.LastName}`;
}

function addressFields(raw: unknown): AddressFields | null {
  if (raw === null || raw === undefined || typeof raw !== 'object') return null;
  const body = raw as Record<string, unknown>;
  const out = {} as AddressFields;
  for (const f of ADDRESS_FIELDS) out[f] = text(body, f);
  out.CountryCode = out.CountryCode ?? 'NO';
  return out;
}

function checkCustomer(
  client: GoClient,
  fields: CustomerFields,
  address: AddressFields | null,
  self: Customer | null,
  violations: Violations,
): void {
  if (fields.IsPerson) {
    if (!fields.FirstName || !fields.LastName)
      violations.add('A person (IsPerson = true) needs FirstName and LastName.');
  } else if (!fields.Name || fields.Name.trim() === '') {
    violations.add('Name is required for a company customer (or set IsPerson = true with FirstName and LastName).');
  }
  const reference = fields.ExternalImportReference;
  if (reference) {
    if (reference.length > 50) violations.add('ExternalImportReference can be at most 50 characters.');
    const other = client.customersByReference.get(key(reference));
    if (other && other !== self) {
      violations.add(
        `ExternalImportReference is already in use. '${reference}' is used on (contact) Id = ${other.id}.`,
      );
    }
  }
  if (fields.ExternalNumber !== null && fields.ExternalNumber !== undefined) {
    const other = client.customersByExternalNumber.get(fields.ExternalNumber);
    if (other && other !== self) {
      violations.add(`ExternalNumber ${fields.ExternalNumber} is already in use on (contact) Id = ${other.id}.`);
    }
  }
  if (address && (!address.City || !address.ZipCode)) {
    violations.add('MailAddress: City and ZipCode are required when an address is given.');
  }
  const cc = fields['InvoiceEmailAddressCC'];
  if (typeof cc === 'string' && cc.split(';').filter((s) => s.trim() !== '').length > 10) {
    violations.add('InvoiceEmailAddressCC can hold at most 10 addresses.');
  }
}

function pickSeries(client: GoClient, body: Record<string, unknown>): NumberSeries | null {
  const seriesId = text(body, 'SubLedgerNumberSeriesId');
  if (seriesId === null) return null;
  const series = client.series.find((s) => s.id.toLowerCase() === seriesId.toLowerCase());
  if (!series || series.type !== 'Customer') {
    throw validationProblem(ENTITY, [`Customer sub-ledger number series with id = ${seriesId} not found.`], 404);
  }
  return series;
}

function describeSeries(series: readonly NumberSeries[]): string {
  return series.length === 0 ? 'none' : series.map((s) => `${s.from}-${s.to}`).join(', ');
}

function checkRequestedNumber(
  client: GoClient,
  n: number,
  series: NumberSeries | null,
  self: Customer | null,
  violations: Violations,
): void {
  const allowed = series ? [series] : client.customerSeries();
  if (!allowed.some((s) => n >= s.from && n <= s.to)) {
    violations.add(`Customer number ${n} is not within a customer number series (${describeSeries(allowed)}).`);
    return;
  }
  const other = client.customersByNumber.get(n);
  if (other && other !== self) violations.add(`Customer number ${n} is already in use on (contact) Id = ${other.id}.`);
}

/** The next free number of the chosen (or default) customer series. */
function nextFreeNumber(client: GoClient, chosen: NumberSeries | null): number {
  const all = client.customerSeries();
  const series = chosen ?? all.find((s) => s.isDefault) ?? all[0];
  if (!series) {
    throw validationProblem(ENTITY, [
      'The client has no customer number series. Create one in Go (Settings → Accounting → Sub-ledger number series).',
    ]);
  }
  while (series.cursor <= series.to && client.customersByNumber.has(series.cursor)) series.cursor++;
  if (series.cursor > series.to) {
    throw validationProblem(ENTITY, [
      `Customer number series '${series.name}' (${series.from}-${series.to}) has no free numbers left.`,
    ]);
  }
  return series.cursor;
}

function resolveDepartment(client: GoClient, body: Record<string, unknown>): number | null {
  const id = int(body, 'DepartmentId');
  if (id !== null) {
    if (!client.departments.has(id)) throw validationProblem(ENTITY, [`Department with id = ${id} not found.`], 404);
    return id;
  }
  const code = text(body, 'DepartmentCode');
  if (code !== null) {
    const department = client.departmentsByCode.get(key(code));
    if (!department) throw validationProblem(ENTITY, [`Department with code = '${code}' not found.`], 404);
    return department.id;
  }
  return null;
}

function index(client: GoClient, c: Customer): void {
  client.customers.set(c.id, c);
  client.customersByNumber.set(c.fields.Number, c);
  client.customersBySubledger.set(c.subledgerAccountId, c);
  if (c.fields.ExternalImportReference) client.customersByReference.set(key(c.fields.ExternalImportReference), c);
  if (c.fields.ExternalNumber !== null && c.fields.ExternalNumber !== undefined) {
    client.customersByExternalNumber.set(c.fields.ExternalNumber, c);
  }
}

function unindex(client: GoClient, c: Customer): void {
  if (client.customersByNumber.get(c.fields.Number) === c) client.customersByNumber.delete(c.fields.Number);
  const ref = c.fields.ExternalImportReference;
  if (ref && client.customersByReference.get(key(ref)) === c) client.customersByReference.delete(key(ref));
  const ext = c.fields.ExternalNumber;
  if (ext !== null && ext !== undefined && client.customersByExternalNumber.get(ext) === c) {
    client.customersByExternalNumber.delete(ext);
  }
}

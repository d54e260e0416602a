import { GlAccount, GoClient, key, Product, ProductFields, ProductGroup, ProductGroupFields } from './go-client';
import { applyJsonPatch, PatchDtoSpec, PatchOperation } from './json-patch';
import { bool, changedAfter, differs, int, num, text, without } from './master-data';
import { toNok, toOre } from './money';
import { CodeFilter } from './filters';
import { notFound, Violations } from './problem';
import { Ticks } from './time';

const PRODUCT = 'Product';
const GROUP = 'Product group';

/** Body fields resolved into other fields (numbers → ids, codes → ids) or kept as øre. */
const NOT_STORED = new Set([
  'UnitPrice',
  'UnitCost',
  'StandardSalesAccount',
  'OptionalSalesAccount',
  'ProductGroupCode',
]);

/** POST /Products (answers 200, not 201, as the real API does). */
export function createProduct(client: GoClient, body: Record<string, unknown>): Product {
  const violations = new Violations();
  const fields: ProductFields = {
    ...without(body, NOT_STORED),
    Code: text(body, 'Code'),
    Name: text(body, 'Name') ?? '',
    ProductType: text(body, 'ProductType') ?? 'Product',
    ProductGroupId: resolveGroup(client, body, violations),
    StandardSalesAccountId: resolveSalesAccount(client, body, 'Standard', violations),
    OptionalSalesAccountId: resolveSalesAccount(client, body, 'Optional', violations),
    IsArchived: bool(body, 'IsArchived') ?? false,
  };
  checkProduct(client, fields, null, violations);
  violations.throwIfAny(PRODUCT);
  const now = client.clock.tick();
  const product: Product = {
    id: client.ids.take(),
    createdAt: now,
    lastChangedAt: now,
    fields,
    unitPrice: money(body, 'UnitPrice'),
    unitCost: money(body, 'UnitCost'),
  };
  client.products.set(product.id, product);
  if (fields.Code) client.productsByCode.set(key(fields.Code), product);
  return product;
}

export function productPatchView(product: Product | ProductGroup, spec: PatchDtoSpec): Record<string, unknown> {
  const view: Record<string, unknown> = {};
  for (const field of spec.fields.values()) {
    if (field.name === 'UnitPrice') view[field.name] = product.unitPrice === null ? null : toNok(product.unitPrice);
    else if (field.name === 'UnitCost') view[field.name] = product.unitCost === null ? null : toNok(product.unitCost);
    else view[field.name] = product.fields[field.name] ?? null;
  }
  return view;
}

/** PATCH /Products/{id}: sales accounts by id only (the PatchDto has no account numbers). */
export function patchProduct(
  client: GoClient,
  product: Product,
  operations: readonly PatchOperation[],
  spec: PatchDtoSpec,
): Product {
  const before = productPatchView(product, spec);
  const after = applyJsonPatch(before, operations, spec, PRODUCT);
  const fields: ProductFields = { ...product.fields };
  for (const field of spec.fields.values()) {
    if (field.name !== 'UnitPrice' && field.name !== 'UnitCost') fields[field.name] = after[field.name];
  }
  fields.IsArchived = fields.IsArchived === true;
  const violations = new Violations();
  checkAccountId(client, fields.StandardSalesAccountId, violations);
  checkAccountId(client, fields.OptionalSalesAccountId, violations);
  if (fields.ProductGroupId !== null && !client.productGroups.has(fields.ProductGroupId)) {
    violations.add(`Product group with id = ${fields.ProductGroupId} not found.`);
  }
  checkProduct(client, fields, product, violations);
  violations.throwIfAny(PRODUCT);

  const unitPrice = typeof after['UnitPrice'] === 'number' ? toOre(after['UnitPrice']) : null;
  const unitCost = typeof after['UnitCost'] === 'number' ? toOre(after['UnitCost']) : null;
  const changed =
    differs(
      product.fields,
      fields,
      [...spec.fields.values()].map((f) => f.name),
    ) ||
    unitPrice !== product.unitPrice ||
    unitCost !== product.unitCost;
  if (changed) {
    if (product.fields.Code) client.productsByCode.delete(key(product.fields.Code));
    product.fields = fields;
    product.unitPrice = unitPrice;
    product.unitCost = unitCost;
    product.lastChangedAt = client.clock.tick();
    if (fields.Code) client.productsByCode.set(key(fields.Code), product);
  }
  return product;
}

export function getProduct(client: GoClient, id: number): Product {
  const product = client.products.get(id);
  if (!product) throw notFound(`Product with id = ${id} not found.`);
  return product;
}

export interface ProductQuery {
  codes?: CodeFilter;
  names?: ReadonlySet<string>;
  productGroupCodes?: CodeFilter;
  type?: string;
  isArchived?: boolean;
  createdAfter?: Ticks;
  changedAfter?: Ticks;
  visibleUntil?: Ticks;
}

export function listProducts(client: GoClient, q: ProductQuery): Product[] {
  const exact = q.codes?.exactValues();
  const candidates: Iterable<Product> = exact
    ? exact
        .map((c) => client.productsByCode.get(c))
        .filter((p): p is Product => p !== undefined)
        .sort((a, b) => a.id - b.id)
    : client.products.values();
  const lagged = q.createdAfter !== undefined || q.changedAfter !== undefined ? q.visibleUntil : undefined;
  const out: Product[] = [];
  for (const p of candidates) {
    if (q.codes && !q.codes.matches(p.fields.Code)) continue;
    if (q.names && !q.names.has(p.fields.Name.toLowerCase())) continue;
    if (q.productGroupCodes) {
      const group = p.fields.ProductGroupId === null ? undefined : client.productGroups.get(p.fields.ProductGroupId);
      if (!q.productGroupCodes.matches(group?.fields.Code)) continue;
    }
    if (q.type !== undefined && (p.fields.ProductType ?? '').toLowerCase() !== q.type.toLowerCase()) continue;
    if (q.isArchived !== undefined && p.fields.IsArchived !== q.isArchived) continue;
    if (q.createdAfter !== undefined && !changedAfter(p.createdAt, q.createdAfter, lagged)) continue;
    if (q.changedAfter !== undefined && !changedAfter(p.lastChangedAt, q.changedAfter, lagged)) continue;
    out.push(p);
  }
  return out;
}

/**
 * The sales account a product line posts to: the standard one normally, the optional one for a
 * VAT-free customer or when the line asks for it; inherited from the product group, then from the
 * client's sales settings.
 */
export function salesAccountFor(client: GoClient, product: Product | null, useOptional: boolean): GlAccount | null {
  const pick = (standard: number | null, optional: number | null): number | null =>
    useOptional ? (optional ?? standard) : standard;
  let id: number | null = product
    ? pick(product.fields.StandardSalesAccountId, product.fields.OptionalSalesAccountId)
    : null;
  if (id === null && product?.fields.ProductGroupId != null) {
    const group = client.productGroups.get(product.fields.ProductGroupId);
    if (group) id = pick(group.fields.StandardSalesAccountId, group.fields.OptionalSalesAccountId);
  }
  if (id !== null) return client.accounts.get(id) ?? null;
  return client.defaultSalesAccountNo === null ? null : (client.accountsByNo.get(client.defaultSalesAccountNo) ?? null);
}

/** POST /ProductGroups (201). */
export function createProductGroup(client: GoClient, body: Record<string, unknown>): ProductGroup {
  const violations = new Violations();
  const fields: ProductGroupFields = {
    ...without(body, NOT_STORED),
    Code: text(body, 'Code'),
    Name: text(body, 'Name'),
    StandardSalesAccountId: resolveSalesAccount(client, body, 'Standard', violations),
    OptionalSalesAccountId: resolveSalesAccount(client, body, 'Optional', violations),
    IsArchived: bool(body, 'IsArchived') ?? false,
  };
  checkGroup(client, fields, null, violations);
  violations.throwIfAny(GROUP);
  const now = client.clock.tick();
  const group: ProductGroup = {
    id: client.ids.take(),
    createdAt: now,
    lastChangedAt: now,
    fields,
    unitPrice: money(body, 'UnitPrice'),
    unitCost: money(body, 'UnitCost'),
  };
  client.productGroups.set(group.id, group);
  if (fields.Code) client.productGroupsByCode.set(key(fields.Code), group);
  return group;
}

export function patchProductGroup(
  client: GoClient,
  group: ProductGroup,
  operations: readonly PatchOperation[],
  spec: PatchDtoSpec,
): ProductGroup {
  const after = applyJsonPatch(productPatchView(group, spec), operations, spec, GROUP);
  const fields: ProductGroupFields = { ...group.fields };
  for (const field of spec.fields.values()) {
    if (field.name !== 'UnitPrice' && field.name !== 'UnitCost') fields[field.name] = after[field.name];
  }
  fields.IsArchived = fields.IsArchived === true;
  const violations = new Violations();
  checkAccountId(client, fields.StandardSalesAccountId, violations);
  checkAccountId(client, fields.OptionalSalesAccountId, violations);
  checkGroup(client, fields, group, violations);
  violations.throwIfAny(GROUP);
  const unitPrice = typeof after['UnitPrice'] === 'number' ? toOre(after['UnitPrice']) : null;
  const unitCost = typeof after['UnitCost'] === 'number' ? toOre(after['UnitCost']) : null;
  if (
    differs(
      group.fields,
      fields,
      [...spec.fields.values()].map((f) => f.name),
    ) ||
    unitPrice !== group.unitPrice ||
    unitCost !== group.unitCost
  ) {
    if (group.fields.Code) client.productGroupsByCode.delete(key(group.fields.Code));
    group.fields = fields;
    group.unitPrice = unitPrice;
    group.unitCost = unitCost;
    group.lastChangedAt = client.clock.tick();
    if (fields.Code) client.productGroupsByCode.set(key(fields.Code), group);
  }
  return group;
}

export function getProductGroup(client: GoClient, id: number): ProductGroup {
  const group = client.productGroups.get(id);
  if (!group) throw notFound(`Product group with id = ${id} not found.`);
  return group;
}

export interface ProductGroupQuery {
  codes?: CodeFilter;
  names?: ReadonlySet<string>;
  isArchived?: boolean;
  createdAfter?: Ticks;
  changedAfter?: Ticks;
}

export function listProductGroups(client: GoClient, q: ProductGroupQuery): ProductGroup[] {
  const out: ProductGroup[] = [];
  for (const g of client.productGroups.values()) {
    if (q.codes && !q.codes.matches(g.fields.Code)) continue;
    if (q.names && !q.names.has((g.fields.Name ?? '').toLowerCase())) continue;
    if (q.isArchived !== undefined && g.fields.IsArchived !== q.isArchived) continue;
    if (q.createdAfter !== undefined && !(g.createdAt > q.createdAfter)) continue;
    if (q.changedAfter !== undefined && !(g.lastChangedAt > q.changedAfter)) continue;
    out.push(g);
  }
  return out;
}

function money(body: Record<string, unknown>, field: string): number | null {
  const v = num(body, field);
  return v === null ? null : toOre(v);
}

function checkProduct(client: GoClient, fields: ProductFields, self: Product | null, violations: Violations): void {
  if (typeof fields.Name !== 'string' || fields.Name.trim() === '') violations.add('Name is required.');
  if (fields.Code) {
    const other = client.productsByCode.get(key(fields.Code));
    if (other && other !== self)
      violations.add(`Product code '${fields.Code}' is already in use on product Id = ${other.id}.`);
  }
}

function checkGroup(
  client: GoClient,
  fields: ProductGroupFields,
  self: ProductGroup | null,
  violations: Violations,
): void {
  if (fields.Code) {
    const other = client.productGroupsByCode.get(key(fields.Code));
    if (other && other !== self) {
      violations.add(`Product group code '${fields.Code}' is already in use on product group Id = ${other.id}.`);
    }
  }
}

function resolveGroup(client: GoClient, body: Record<string, unknown>, violations: Violations): number | null {
  const id = int(body, 'ProductGroupId');
  if (id !== null) {
    if (!client.productGroups.has(id)) violations.add(`Product group with id = ${id} not found.`);
    return id;
  }
  const code = text(body, 'ProductGroupCode');
  if (code === null) return null;
  const group = client.productGroupsByCode.get(key(code));
  if (!group) violations.add(`Product group with code = '${code}' not found.`);
  return group?.id ?? null;
}

/** A sales account given by id (wins) or by account number, as ProductPostDto allows. */
function resolveSalesAccount(
  client: GoClient,
  body: Record<string, unknown>,
  which: 'Standard' | 'Optional',
  violations: Violations,
): number | null {
  const id = int(body, `${which}SalesAccountId`);
  if (id !== null) {
    checkAccountId(client, id, violations);
    return id;
  }
  const no = int(body, `${which}SalesAccount`);
  if (no === null) return null;
  const account = client.accountsByNo.get(no);
  if (!account) {
    violations.add(`General ledger account with account no = ${no} not found.`);
    return null;
  }
  if (!account.fields.IsActive) violations.add(`General ledger account ${no} is not active.`);
  return account.id;
}

function checkAccountId(client: GoClient, id: number | null, violations: Violations): void {
  if (id === null) return;
  const account = client.accounts.get(id);
  if (!account) violations.add(`General ledger account with id = ${id} not found.`);
  else if (!account.fields.IsActive)
    violations.add(`General ledger account ${account.fields.AccountNo} is not active.`);
}

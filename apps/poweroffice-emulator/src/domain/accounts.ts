import { AccountFields, GlAccount, GoClient } from './go-client';
import { applyJsonPatch, PatchDtoSpec, PatchOperation } from './json-patch';
import { bool, changedAfter, differs, int, text, without } from './master-data';
import { NumberFilter } from './filters';
import { notFound, Violations } from './problem';
import { Ticks } from './time';

const ENTITY = 'General ledger account';

/** POST /GeneralLedgerAccounts (201). Needs AccountNo, Name, IsActive and a VAT code (id or code). */
export function createAccount(client: GoClient, body: Record<string, unknown>): GlAccount {
  const violations = new Violations();
  const accountNo = int(body, 'AccountNo');
  if (accountNo === null || accountNo < 1) violations.add('AccountNo is required and must be positive.');
  else if (client.accountsByNo.has(accountNo)) violations.add(`General ledger account ${accountNo} already exists.`);
  const name = text(body, 'Name');
  if (name === null) violations.add('Name is required.');
  const isActive = bool(body, 'IsActive');
  if (isActive === null) violations.add('IsActive is required.');
  const vatCodeId = resolveVatCode(client, body, violations);
  const departmentId = int(body, 'DepartmentId');
  if (departmentId !== null && !client.departments.has(departmentId))
    violations.add(`Department with id = ${departmentId} not found.`);
  violations.throwIfAny(ENTITY);

  const now = client.clock.tick();
  const fields: AccountFields = {
    ...without(body, new Set(['VatCode', 'DepartmentCode'])),
    AccountNo: accountNo!,
    Name: name,
    GeneralLedgerAccountType: text(body, 'GeneralLedgerAccountType') ?? typeOf(accountNo!),
    VatCodeId: vatCodeId,
    IsVatCodeLocked: bool(body, 'IsVatCodeLocked') ?? false,
    IsActive: isActive!,
    IsDepartmentRequired: bool(body, 'IsDepartmentRequired') ?? false,
    IsProjectRequired: bool(body, 'IsProjectRequired') ?? false,
    DepartmentId: departmentId,
    CurrencyCode: text(body, 'CurrencyCode') ?? 'NOK',
  };
  const account: GlAccount = { id: client.ids.take(), createdAt: now, lastChangedAt: now, fields };
  client.indexAccount(account);
  return account;
}

export function accountPatchView(account: GlAccount, spec: PatchDtoSpec): Record<string, unknown> {
  const view: Record<string, unknown> = {};
  for (const field of spec.fields.values()) view[field.name] = account.fields[field.name] ?? null;
  return view;
}

/** PATCH /GeneralLedgerAccounts/{id}; AccountNo is not patchable (not in the PatchDto). */
export function patchAccount(
  client: GoClient,
  account: GlAccount,
  operations: readonly PatchOperation[],
  spec: PatchDtoSpec,
): GlAccount {
  const after = applyJsonPatch(accountPatchView(account, spec), operations, spec, ENTITY);
  const fields: AccountFields = { ...account.fields };
  for (const field of spec.fields.values()) fields[field.name] = after[field.name];
  for (const flag of ['IsVatCodeLocked', 'IsActive', 'IsDepartmentRequired', 'IsProjectRequired'] as const) {
    fields[flag] = fields[flag] === true;
  }
  const violations = new Violations();
  if (fields.VatCodeId !== null && !client.vatCodes.has(fields.VatCodeId))
    violations.add(`Vat code with id = ${fields.VatCodeId} not found.`);
  if (fields.DepartmentId !== null && !client.departments.has(fields.DepartmentId)) {
    violations.add(`Department with id = ${fields.DepartmentId} not found.`);
  }
  violations.throwIfAny(ENTITY);
  if (
    differs(
      account.fields,
      fields,
      [...spec.fields.values()].map((f) => f.name),
    )
  ) {
    account.fields = fields;
    account.lastChangedAt = client.clock.tick();
  }
  return account;
}

export function getAccount(client: GoClient, id: number): GlAccount {
  const account = client.accounts.get(id);
  if (!account) throw notFound(`General ledger account with id = ${id} not found.`);
  return account;
}

export interface AccountQuery {
  accountNos?: NumberFilter;
  changedAfter?: Ticks;
  visibleUntil?: Ticks;
}

export function listAccounts(client: GoClient, q: AccountQuery): GlAccount[] {
  const exact = q.accountNos?.exactValues();
  const candidates = exact
    ? exact.map((n) => client.accountsByNo.get(n)).filter((a): a is GlAccount => a !== undefined)
    : [...client.accounts.values()];
  const out = candidates.filter(
    (a) =>
      (!q.accountNos || q.accountNos.matches(a.fields.AccountNo)) &&
      (q.changedAfter === undefined || changedAfter(a.lastChangedAt, q.changedAfter, q.visibleUntil)),
  );
  return out.sort((a, b) => a.fields.AccountNo - b.fields.AccountNo);
}

function resolveVatCode(client: GoClient, body: Record<string, unknown>, violations: Violations): number | null {
  const id = int(body, 'VatCodeId');
  if (id !== null) {
    if (!client.vatCodes.has(id)) violations.add(`Vat code with id = ${id} not found.`);
    return id;
  }
  const code = text(body, 'VatCode');
  if (code === null) {
    violations.add('VatCode or VatCodeId is required.');
    return null;
  }
  const vat = client.vatCodesByCode.get(code);
  if (!vat) violations.add(`Vat code '${code}' not found.`);
  return vat?.id ?? null;
}

/** NS 4102 classes: 1 assets, 2 equity and liabilities, 3 income, 4–8 expenses. */
function typeOf(accountNo: number): string {
  const first = Number(String(accountNo)[0]);
  if (first === 1) return 'Asset';
  if (first === 2) return 'Liability';
  if (first === 3) return 'Income';
  return 'Expense';
}

import { Department, DepartmentFields, GoClient, key } from './go-client';
import { applyJsonPatch, PatchDtoSpec, PatchOperation } from './json-patch';
import { bool, changedAfter, differs, int, text, without } from './master-data';
import { CodeFilter } from './filters';
import { notFound, Violations } from './problem';
import { Ticks } from './time';

const ENTITY = 'Department';

/** POST /Departments (201). IsActive defaults to false, as in Go — a classic surprise. */
export function createDepartment(client: GoClient, body: Record<string, unknown>): Department {
  const fields: DepartmentFields = {
    ...without(body, new Set(['ManagerEmployeeNo'])),
    Code: text(body, 'Code'),
    Name: text(body, 'Name') ?? '',
    IsActive: bool(body, 'IsActive') ?? false,
    ManagerEmployeeId: int(body, 'ManagerEmployeeId'),
  };
  const violations = new Violations();
  check(client, fields, null, violations);
  violations.throwIfAny(ENTITY);
  const now = client.clock.tick();
  const department: Department = { id: client.ids.take(), createdAt: now, lastChangedAt: now, fields };
  client.departments.set(department.id, department);
  if (fields.Code) client.departmentsByCode.set(key(fields.Code), department);
  return department;
}

export function departmentPatchView(department: Department, spec: PatchDtoSpec): Record<string, unknown> {
  const view: Record<string, unknown> = {};
  for (const field of spec.fields.values()) view[field.name] = department.fields[field.name] ?? null;
  return view;
}

export function patchDepartment(
  client: GoClient,
  department: Department,
  operations: readonly PatchOperation[],
  spec: PatchDtoSpec,
): Department {
  const after = applyJsonPatch(departmentPatchView(department, spec), operations, spec, ENTITY);
  const fields: DepartmentFields = { ...department.fields };
  for (const field of spec.fields.values()) fields[field.name] = after[field.name];
  fields.IsActive = fields.IsActive === true;
  const violations = new Violations();
  check(client, fields, department, violations);
  violations.throwIfAny(ENTITY);
  if (
    differs(
      department.fields,
      fields,
      [...spec.fields.values()].map((f) => f.name),
    )
  ) {
    if (department.fields.Code) client.departmentsByCode.delete(key(department.fields.Code));
    department.fields = fields;
    department.lastChangedAt = client.clock.tick();
    if (fields.Code) client.departmentsByCode.set(key(fields.Code), department);
  }
  return department;
}

export function getDepartment(client: GoClient, id: number): Department {
  const department = client.departments.get(id);
  if (!department) throw notFound(`Department with id = ${id} not found.`);
  return department;
}

export interface DepartmentQuery {
  codes?: CodeFilter;
  name?: string;
  isActive?: boolean;
  createdAfter?: Ticks;
  changedAfter?: Ticks;
  visibleUntil?: Ticks;
}

export function listDepartments(client: GoClient, q: DepartmentQuery): Department[] {
  const lagged = q.createdAfter !== undefined || q.changedAfter !== undefined ? q.visibleUntil : undefined;
  const out: Department[] = [];
  for (const d of client.departments.values()) {
    if (q.codes && !q.codes.matches(d.fields.Code)) continue;
    if (q.name !== undefined && !d.fields.Name.toLowerCase().includes(q.name.toLowerCase())) continue;
    if (q.isActive !== undefined && d.fields.IsActive !== q.isActive) continue;
    if (q.createdAfter !== undefined && !changedAfter(d.createdAt, q.createdAfter, lagged)) continue;
    if (q.changedAfter !== undefined && !changedAfter(d.lastChangedAt, q.changedAfter, lagged)) continue;
    out.push(d);
  }
  return out;
}

function check(client: GoClient, fields: DepartmentFields, self: Department | null, violations: Violations): void {
  if (typeof fields.Name !== 'string' || fields.Name.trim() === '') violations.add('Name is required.');
  if (fields.Code) {
    if (fields.Code.includes('.')) violations.add(`Department code '${fields.Code}' must not contain '.'.`);
    const other = client.departmentsByCode.get(key(fields.Code));
    if (other && other !== self)
      violations.add(`Department code '${fields.Code}' is already in use on department Id = ${other.id}.`);
  }
}

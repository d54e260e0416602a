import { instant, commaList } from './query';
import { ListableResource, ListSpec } from './resource';

/** DepartmentDto. */
export interface Department {
  id: number;
  code?: string | null;
  name?: string | null;
  /** PowerOffice defaults this to false on create. */
  isActive?: boolean | null;
  managerEmployeeId?: number | null;
  managerEmployeeNo?: number | null;
  createdDateTimeOffset?: string;
  lastChangedDateTimeOffset?: string;
}

/** DepartmentPostDto: `name` required; send `isActive: true` or the department is created inactive. */
export interface NewDepartment {
  name: string;
  code?: string | null;
  isActive?: boolean | null;
  managerEmployeeId?: number | null;
  managerEmployeeNo?: number | null;
}

export interface DepartmentFilter {
  codes?: readonly string[] | string;
  name?: string;
  isActive?: boolean;
  createdAfter?: Date | string;
  lastChangedAfter?: Date | string;
}

/** `/Departments` (roles Department / Department_Full). POST answers 201. */
export class Departments extends ListableResource<Department, DepartmentFilter> {
  protected readonly list: ListSpec<DepartmentFilter> = {
    path: '/Departments',
    role: 'Department',
    noun: 'departments',
    shape: {},
    query: (f) => ({
      codes: commaList(f.codes),
      name: f.name,
      isActive: f.isActive,
      createdDateTimeOffsetGreaterThan: instant(f.createdAfter),
      lastChangedDateTimeOffsetGreaterThan: instant(f.lastChangedAfter),
    }),
  };

  create(department: NewDepartment): Promise<Department> {
    const subject = department.code ? `new department ${department.code}` : 'new department';
    return this.post<Department>({ path: '/Departments', subject, role: 'Department_Full' }, department, {});
  }
}

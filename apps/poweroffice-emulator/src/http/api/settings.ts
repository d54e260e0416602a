import { createAccount, getAccount, listAccounts, patchAccount } from '../../domain/accounts';
import { createDepartment, getDepartment, listDepartments, patchDepartment } from '../../domain/departments';
import { readPatchDocument } from '../../domain/json-patch';
import { AUTH_ROLES } from '../../domain/privileges';
import { Emulator } from '../../emulator';
import { jsonBody } from '../body';
import { intId, visibleUntil } from '../params';
import { pagedList } from '../query';
import { ok } from '../responses';
import { RouteDefinition } from '../types';

const ACCOUNT = 'General ledger account';

/** Chart of accounts, VAT codes, number series, lock date, departments and the integration itself. */
export function settingsRoutes(emu: Emulator): RouteDefinition[] {
  const { wire, schemas } = emu;
  return [
    {
      method: 'GET',
      path: '/ClientIntegrationInformation',
      roles: 'any',
      handler: (req) => {
        const valid = AUTH_ROLES.filter((r) => req.grant.privileges.has(r));
        return ok({
          ClientId: req.client.clientId,
          ClientName: req.client.name,
          ActiveClientSubscriptions: ['Accounting', 'Invoicing'],
          ValidPrivileges: valid,
          // The integration asks for every role; those the client does not grant show as invalid.
          InvalidPrivileges: AUTH_ROLES.filter((r) => !req.grant.privileges.has(r)),
          AllowSendInvoice: req.grant.allowSendInvoice,
        });
      },
    },
    {
      method: 'GET',
      path: '/GeneralLedgerAccounts',
      handler: (req) => {
        const q = req.query;
        const rp = q.resourceParameters();
        const accounts = listAccounts(req.client, {
          accountNos: q.numberFilter('accountNos'),
          changedAfter: q.dateTime('lastChangedDateTimeOffsetGreaterThan'),
          visibleUntil: visibleUntil(emu, req),
        });
        return pagedList(accounts, (a) => wire.account(req.client, a), rp, wire.keys('GeneralLedgerAccountDto'));
      },
    },
    {
      method: 'GET',
      path: '/GeneralLedgerAccounts/{id}',
      handler: (req) => ok(wire.account(req.client, getAccount(req.client, intId(req)))),
    },
    {
      method: 'POST',
      path: '/GeneralLedgerAccounts',
      handler: (req) => {
        const body = schemas.read('GeneralLedgerAccountPostDto', jsonBody(req, ACCOUNT), ACCOUNT);
        return ok(wire.account(req.client, createAccount(req.client, body)), 201);
      },
    },
    {
      method: 'PATCH',
      path: '/GeneralLedgerAccounts/{id}',
      handler: (req) => {
        const account = getAccount(req.client, intId(req));
        const operations = readPatchDocument(jsonBody(req, ACCOUNT, { patch: true }), ACCOUNT);
        patchAccount(req.client, account, operations, schemas.patchSpec('GeneralLedgerAccountPatchDto'));
        return ok(wire.account(req.client, account));
      },
    },
    {
      method: 'GET',
      path: '/VatCodes',
      handler: (req) => {
        const q = req.query;
        const rp = q.resourceParameters();
        const isActive = q.bool('isActive');
        q.bool('includeExpired');
        const codes = [...req.client.vatCodes.values()].filter(
          (v) => isActive === undefined || v.isActive === isActive,
        );
        return pagedList(codes, (v) => wire.vatCode(v), rp, wire.keys('VatCodeDto'));
      },
    },
    {
      method: 'GET',
      path: '/SubLedgerNumberSeries',
      handler: (req) => {
        const q = req.query;
        const rp = q.resourceParameters();
        // Documented as case-sensitive: "customer" matches nothing.
        const type = q.get('subLedgerNumberSeriesType');
        const isDefault = q.bool('isDefault');
        const accountNos = q.numberFilter('generalLedgerAccountNos');
        const series = req.client.series.filter(
          (s) =>
            (type === undefined || s.type === type) &&
            (isDefault === undefined || s.isDefault === isDefault) &&
            (!accountNos || accountNos.matches(s.accountNo)),
        );
        return pagedList(series, (s) => wire.series(s), rp, wire.keys('SubLedgerNumberSeriesDto'));
      },
    },
    {
      method: 'GET',
      path: '/LockDateSettings',
      // No lock date is .NET's default date, which is what an unlocked client shows.
      handler: (req) => ok({ LockDate: req.client.lockDate ?? '0001-01-01' }),
    },
    {
      method: 'GET',
      path: '/Departments',
      handler: (req) => {
        const q = req.query;
        const rp = q.resourceParameters();
        const departments = listDepartments(req.client, {
          codes: q.codeFilter('codes'),
          name: q.get('name'),
          isActive: q.bool('isActive'),
          createdAfter: q.dateTime('createdDateTimeOffsetGreaterThan'),
          changedAfter: q.dateTime('lastChangedDateTimeOffsetGreaterThan'),
          visibleUntil: visibleUntil(emu, req),
        });
        return pagedList(departments, (d) => wire.department(d), rp, wire.keys('DepartmentDto'));
      },
    },
    {
      method: 'GET',
      path: '/Departments/{id}',
      handler: (req) => ok(wire.department(getDepartment(req.client, intId(req)))),
    },
    {
      method: 'POST',
      path: '/Departments',
      handler: (req) => {
        const body = schemas.read('DepartmentPostDto', jsonBody(req, 'Department'), 'Department');
        return ok(wire.department(createDepartment(req.client, body)), 201);
      },
    },
    {
      method: 'PATCH',
      path: '/Departments/{id}',
      handler: (req) => {
        const department = getDepartment(req.client, intId(req));
        const operations = readPatchDocument(jsonBody(req, 'Department', { patch: true }), 'Department');
        patchDepartment(req.client, department, operations, schemas.patchSpec('DepartmentPatchDto'));
        return ok(wire.department(department));
      },
    },
  ];
}

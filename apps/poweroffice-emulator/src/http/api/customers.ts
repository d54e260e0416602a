import { createCustomer, getCustomer, listCustomers, patchCustomer } from '../../domain/customers';
import { readPatchDocument } from '../../domain/json-patch';
import { Emulator } from '../../emulator';
import { jsonBody } from '../body';
import { intId, visibleUntil } from '../params';
import { pagedList } from '../query';
import { ok } from '../responses';
import { RouteDefinition } from '../types';

const ENTITY = 'Customer';

export function customerRoutes(emu: Emulator): RouteDefinition[] {
  const { wire, schemas } = emu;
  return [
    {
      method: 'GET',
      path: '/Customers',
      handler: (req) => {
        const q = req.query;
        const rp = q.resourceParameters();
        const customers = listCustomers(req.client, {
          customerNos: q.numberFilter('customerNos'),
          externalNos: q.numberFilter('externalNos'),
          externalImportReference: q.get('externalImportReference'),
          contactGroupIds: q.idList('contactGroupIds'),
          createdAfter: q.dateTime('customerCreatedDateTimeOffsetGreaterThan'),
          changedAfter: q.dateTime('lastChangedDateTimeOffsetGreaterThan'),
          visibleUntil: visibleUntil(emu, req),
        });
        return pagedList(customers, (c) => wire.customer(req.client, c), rp, wire.keys('CustomerDto'));
      },
    },
    {
      method: 'GET',
      path: '/Customers/{id}',
      handler: (req) => ok(wire.customer(req.client, getCustomer(req.client, intId(req)))),
    },
    {
      method: 'POST',
      path: '/Customers',
      handler: (req) => {
        const body = schemas.read('CustomerPostDto', jsonBody(req, ENTITY), ENTITY);
        return ok(wire.customer(req.client, createCustomer(req.client, body)), 201);
      },
    },
    {
      method: 'PATCH',
      path: '/Customers/{id}',
      handler: (req) => {
        const customer = getCustomer(req.client, intId(req));
        const operations = readPatchDocument(jsonBody(req, ENTITY, { patch: true }), ENTITY);
        patchCustomer(req.client, customer, operations, schemas.patchSpec('CustomerPatchDto'));
        return ok(wire.customer(req.client, customer));
      },
    },
  ];
}

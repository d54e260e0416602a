import { readPatchDocument } from '../../domain/json-patch';
import {
  createProduct,
  createProductGroup,
  getProduct,
  getProductGroup,
  listProductGroups,
  listProducts,
  patchProduct,
  patchProductGroup,
} from '../../domain/products';
import { Emulator } from '../../emulator';
import { jsonBody } from '../body';
import { intId, visibleUntil } from '../params';
import { pagedList } from '../query';
import { ok } from '../responses';
import { RouteDefinition } from '../types';

export function productRoutes(emu: Emulator): RouteDefinition[] {
  const { wire, schemas } = emu;
  return [
    {
      method: 'GET',
      path: '/Products',
      handler: (req) => {
        const q = req.query;
        const rp = q.resourceParameters();
        const products = listProducts(req.client, {
          codes: q.codeFilter('codes'),
          names: q.nameList('names'),
          productGroupCodes: q.codeFilter('productGroupCodes'),
          type: q.get('type'),
          isArchived: q.bool('isArchived'),
          createdAfter: q.dateTime('createdDateTimeOffsetGreaterThan'),
          changedAfter: q.dateTime('lastChangedDateTimeOffsetGreaterThan'),
          visibleUntil: visibleUntil(emu, req),
        });
        return pagedList(products, (p) => wire.product(req.client, p), rp, wire.keys('ProductDto'));
      },
    },
    {
      method: 'GET',
      path: '/Products/{id}',
      handler: (req) => ok(wire.product(req.client, getProduct(req.client, intId(req)))),
    },
    {
      method: 'POST',
      path: '/Products',
      handler: (req) => {
        const body = schemas.read('ProductPostDto', jsonBody(req, 'Product'), 'Product');
        // 200, not 201: the real API answers POST /Products with 200.
        return ok(wire.product(req.client, createProduct(req.client, body)), 200);
      },
    },
    {
      method: 'PATCH',
      path: '/Products/{id}',
      handler: (req) => {
        const product = getProduct(req.client, intId(req));
        const operations = readPatchDocument(jsonBody(req, 'Product', { patch: true }), 'Product');
        patchProduct(req.client, product, operations, schemas.patchSpec('ProductPatchDto'));
        return ok(wire.product(req.client, product));
      },
    },
    {
      method: 'GET',
      path: '/ProductGroups',
      handler: (req) => {
        const q = req.query;
        const rp = q.resourceParameters();
        const groups = listProductGroups(req.client, {
          codes: q.codeFilter('codes'),
          names: q.nameList('names'),
          isArchived: q.bool('isArchived'),
          createdAfter: q.dateTime('createdDateTimeOffsetGreaterThan'),
          changedAfter: q.dateTime('lastChangedDateTimeOffsetGreaterThan'),
        });
        return pagedList(groups, (g) => wire.productGroup(req.client, g), rp, wire.keys('ProductGroupDto'));
      },
    },
    {
      method: 'GET',
      path: '/ProductGroups/{id}',
      handler: (req) => ok(wire.productGroup(req.client, getProductGroup(req.client, intId(req)))),
    },
    {
      method: 'POST',
      path: '/ProductGroups',
      handler: (req) => {
        const body = schemas.read('ProductGroupPostDto', jsonBody(req, 'Product group'), 'Product group');
        return ok(wire.productGroup(req.client, createProductGroup(req.client, body)), 201);
      },
    },
    {
      method: 'PATCH',
      path: '/ProductGroups/{id}',
      handler: (req) => {
        const group = getProductGroup(req.client, intId(req));
        const operations = readPatchDocument(jsonBody(req, 'Product group', { patch: true }), 'Product group');
        patchProductGroup(req.client, group, operations, schemas.patchSpec('ProductGroupPatchDto'));
        return ok(wire.productGroup(req.client, group));
      },
    },
  ];
}

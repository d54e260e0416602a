import { toOre } from '../../domain/money';
import { notFound } from '../../domain/problem';
import {
  completeSalesOrder,
  createAndSendInvoice,
  getSalesOrder,
  SalesOrderInput,
  SalesOrderLineInput,
} from '../../domain/sales-orders';
import { Emulator } from '../../emulator';
import { Body, date, jsonBody, numb, str } from '../body';
import { uuidId } from '../params';
import { list, ok } from '../responses';
import { RouteDefinition } from '../types';

const ENTITY = 'Sales order';


function lineInput(line: Body): SalesOrderLineInput {
  const price = numb(line, 'ProductUnitPrice');
  return {
    lineType: str(line, 'LineType'),
    productId: numb(line, 'ProductId'),
    productCode: str(line, 'ProductCode'),
    quantity: numb(line, 'Quantity'),
    unitPrice: price === null ? null : toOre(price),
    allowance: numb(line, 'Allowance'),
    description: str(line, 'Description'),
    useStandardSalesAccount:
      typeof line['UseStandardSalesAccount'] === 'boolean' ? (line['UseStandardSalesAccount'] as boolean) : null,
    departmentId: numb(line, 'DepartmentId'),
    echo: line,
  };
}

function orderInput(body: Body): SalesOrderInput {
  const lines = Array.isArray(body['SalesOrderLines']) ? (body['SalesOrderLines'] as Body[]) : [];
  const { SalesOrderLines: _lines, ...header } = body;
  return {
    customerId: numb(body, 'CustomerId'),
    customerNo: numb(body, 'CustomerNo'),
    salesOrderDate: date(body, 'SalesOrderDate'),
    currencyCode: str(body, 'CurrencyCode'),
    externalImportReference: str(body, 'ExternalImportReference'),
    status: str(body, 'SalesOrderStatus'),
    departmentId: numb(body, 'DepartmentId'),
    departmentCode: str(body, 'DepartmentCode'),
    lines: lines.filter((l) => l !== null).map(lineInput),
    echo: header,
  };
}

export function salesOrderRoutes(emu: Emulator): RouteDefinition[] {
  const { wire, schemas } = emu;
  return [
    {
      method: 'POST',
      path: '/SalesOrders/Complete',
      handler: (req) => {
        const body = schemas.read('SalesOrderCompletePostDto', jsonBody(req, ENTITY), ENTITY);
        const order = completeSalesOrder(req.client, orderInput(body), req.client.clock.today());
        return ok(wire.salesOrder(req.client, order), 201);
      },
    },
    {
      method: 'GET',
      path: '/SalesOrders/{id}/Complete',
      handler: (req) => ok(wire.salesOrder(req.client, getSalesOrder(req.client, uuidId(req)))),
    },
    {
      method: 'POST',
      path: '/SalesOrders/{id}/createAndSendInvoice',
      handler: (req) => {
        const order = getSalesOrder(req.client, uuidId(req));
        const body = schemas.read('SendInvoiceRequestPostDto', jsonBody(req, ENTITY, { optional: true }), ENTITY);
        const request = {
          deliveryType: str(body, 'DeliveryType'),
          emailAddress: str(body, 'EmailAddress'),
          voucherDate: date(body, 'VoucherDate'),
          overrideDueDate: date(body, 'OverrideDueDate'),
        };
        createAndSendInvoice(req.client, order, request, {
          allowSendInvoice: req.grant.allowSendInvoice,
          today: req.client.clock.today(),
          nowMs: req.nowMs,
          processingMs: emu.config.invoiceProcessingMs,
        });
        const location = `${req.apiBase}/SalesOrders/sentState?id=${order.id}`;
        return ok(
          {
            Id: order.id,
            DeliveryType: request.deliveryType ?? 'Auto',
            EmailAddress: request.emailAddress,
            OverrideDueDate: request.overrideDueDate,
            VoucherDate: request.voucherDate,
          },
          202,
          { Location: location },
        );
      },
    },
    {
      method: 'GET',
      path: '/SalesOrders/sentState',
      handler: (req) => {
        const id = req.query.get('id');
        if (id === undefined) {
          const states = [...req.client.salesOrders.values()]
            .map((o) => wire.sentState(o, req.nowMs))
            .filter((s): s is Record<string, unknown> => s !== null);
          return list(states);
        }
        const order = req.client.salesOrders.get(id.toLowerCase());
        if (!order) throw notFound(`Sales order with id = ${id} not found.`);
        const state = wire.sentState(order, req.nowMs);
        return list(state ? [state] : []);
      },
    },
  ];
}

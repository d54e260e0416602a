import { randomUUID } from 'node:crypto';
import type { IHeaders } from 'kafkajs';
import type { ArticleChanged, CustomerChanged, InvoicePosted, PosEventType, ZReportClosed } from '@lib/contracts';
import { recordEventId } from '@lib/pipeline';
import type { HostileExpectation } from './invariants';
import { invoice, osloDate, TenantLoad, zReport } from './pos-load';
import { Rng } from './settings';
import type { FaultWorld, OnboardedTenant } from './world';

/**
 * Malformed and hostile records, one per input class, each sent between two valid events on the
 * same partition (the one before decides the partition, the one after proves the partition was not
 * stalled). Every class says what the integration must answer.
 */
export interface HostileRecord {
  key: string | Buffer | null;
  value: string | Buffer | null;
  headers: IHeaders;
  /** The record's ce_id when it carries a readable one. */
  eventId?: string;
  /** The tenant an outcome must answer (undefined: none can be read). */
  tenantId?: string;
  expectation: HostileExpectation;
}

interface HostileClass {
  name: string;
  type: PosEventType;
  build(ctx: { tenant: OnboardedTenant; other: OnboardedTenant; n: number; ghost: string }): HostileRecord;
  /** A record that is valid after all creates this entity for the tenant (extra fields). */
  adds?: (load: TenantLoad, record: HostileRecord) => void;
}

const MIB = 1024 * 1024;

function headers(type: string, tenantId: string, id: string = randomUUID()): Record<string, string> {
  return {
    ce_specversion: '1.0',
    ce_id: id,
    ce_type: type,
    ce_source: 'open-one',
    ce_time: new Date().toISOString(),
    ce_tenantid: tenantId,
    'content-type': 'application/json',
  };
}

function customer(id: string, marker: string): CustomerChanged {
  return {
    customerId: id,
    isPerson: false,
    name: `Kunde ${marker}-${id} v1`,
    active: true,
    version: 1,
    changedAt: '2026-01-01T10:00:00Z',
  };
}

function article(id: string, marker: string): ArticleChanged {
  return {
    articleId: id,
    articleNumber: `${marker}-${id}`,
    name: `Vare ${marker}-${id} v1`,
    type: 'Product',
    unitPriceInclVat: 12500,
    vatCode: '3',
    unit: 'EA',
    active: true,
    version: 1,
    changedAt: '2026-01-01T10:00:00Z',
  };
}

/** An event for `tenantId` with the given data (and a fresh id), as a hostile record. */
function event(
  type: PosEventType,
  tenantId: string,
  entity: string,
  data: unknown,
  expectation: HostileExpectation,
): HostileRecord {
  const h = headers(type, tenantId);
  return {
    key: `${tenantId}:${entity}`,
    value: JSON.stringify(data),
    headers: h,
    eventId: h.ce_id,
    tenantId,
    expectation,
  };
}

const invalid = (field?: string): HostileExpectation => ({
  kind: 'failure',
  code: 'INVALID_EVENT',
  ...(field ? { field } : {}),
});
const parked: HostileExpectation = { kind: 'parked', code: 'INVALID_EVENT' };

export const HOSTILE_CLASSES: HostileClass[] = [
  {
    name: 'wrong types',
    type: 'CustomerChanged',
    build: ({ tenant, n }) =>
      event(
        'CustomerChanged',
        tenant.tenantId,
        `hx-${n}`,
        { ...customer(`hx-${n}`, tenant.marker), isPerson: 'no', version: '2', active: 1 },
        invalid('isPerson'),
      ),
  },
  {
    name: 'missing fields',
    type: 'ZReportClosed',
    build: ({ tenant, n }) => {
      const z: Partial<ZReportClosed> = { ...zReport(`hx-${n}`, 1, osloDate(1), new Rng(n)) };
      delete z.payments;
      delete z.businessDate;
      return event('ZReportClosed', tenant.tenantId, `hx-${n}:1`, z, invalid('payments'));
    },
  },
  {
    name: 'extra fields (allowed by the contract)',
    type: 'ArticleChanged',
    build: ({ tenant, n }) => {
      const valid = JSON.stringify(article(`hx-${n}`, tenant.marker));
      // Written by hand: an object literal's "__proto__" would set the prototype instead of a field.
      const value = `${valid.slice(0, -1)},"__proto__":{"isAdmin":true},"constructor":{"prototype":{"polluted":true}},"posInternalNote":"${'x'.repeat(500)}"}`;
      const h = headers('ArticleChanged', tenant.tenantId);
      return {
        key: `${tenant.tenantId}:hx-${n}`,
        value,
        headers: h,
        eventId: h.ce_id,
        tenantId: tenant.tenantId,
        expectation: { kind: 'success' },
      };
    },
    adds: (load, record) => {
      const a = JSON.parse(String(record.value)) as ArticleChanged;
      load.articles.push({ articleId: a.articleId, code: a.articleNumber, versions: [a] });
    },
  },
  {
    name: 'huge string (300 000 characters)',
    type: 'CustomerChanged',
    build: ({ tenant, n }) =>
      event(
        'CustomerChanged',
        tenant.tenantId,
        `hx-${n}`,
        { ...customer(`hx-${n}`, tenant.marker), name: 'Å'.repeat(300_000) },
        invalid('name'),
      ),
  },
  {
    name: 'huge array (8 000 invoice lines)',
    type: 'InvoicePosted',
    build: ({ tenant, n }) => {
      const inv = invoice(tenant.marker, 900 + n, 'c-0', osloDate(1), osloDate(-13), new Rng(n));
      const line = {
        description: 'x',
        quantity: 1,
        unitPriceExclVat: 100,
        vatCode: '3',
        netAmount: 100,
        vatAmount: 25,
        grossAmount: 125,
      };
      const lines = Array.from({ length: 8000 }, () => line);
      return event(
        'InvoicePosted',
        tenant.tenantId,
        inv.invoiceId,
        { ...inv, lines, totals: { net: 800000, vat: 200000, gross: 1000000 } },
        invalid('lines'),
      );
    },
  },
  {
    name: 'invalid UTF-8',
    type: 'CustomerChanged',
    build: ({ tenant, n }) => {
      const h = headers('CustomerChanged', tenant.tenantId);
      const value = Buffer.concat([
        Buffer.from(`{"customerId":"hx-${n}","isPerson":false,"name":"Kunde `),
        Buffer.from([0xc3, 0x28, 0xff, 0xfe]),
        Buffer.from('","active":true,"version":1,"changedAt":"2026-01-01T10:00:00Z"}'),
      ]);
      return {
        key: `${tenant.tenantId}:hx-${n}`,
        value,
        headers: h,
        eventId: h.ce_id,
        tenantId: tenant.tenantId,
        expectation: invalid('value'),
      };
    },
  },
  {
    name: 'not JSON',
    type: 'ArticleChanged',
    build: ({ tenant, n }) => {
      const h = headers('ArticleChanged', tenant.tenantId);
      return {
        key: `${tenant.tenantId}:hx-${n}`,
        value: `{"articleId":"hx-${n}","name":`,
        headers: h,
        eventId: h.ce_id,
        tenantId: tenant.tenantId,
        expectation: invalid('value'),
      };
    },
  },
  {
    name: 'numbers out of range',
    type: 'ZReportClosed',
    build: ({ tenant, n }) => {
      const z = zReport(`hx-${n}`, 1, osloDate(1), new Rng(n));
      z.sales[0] = { ...z.sales[0]!, grossAmount: 1e16, vatRate: 250, count: 2 ** 60 };
      return event('ZReportClosed', tenant.tenantId, `hx-${n}:1`, z, invalid('sales'));
    },
  },
  {
    name: 'dates that do not exist',
    type: 'InvoicePosted',
    build: ({ tenant, n }) => {
      const inv = invoice(tenant.marker, 900 + n, 'c-0', '2026-02-30', '2025-13-01', new Rng(n));
      return event('InvoicePosted', tenant.tenantId, inv.invoiceId, inv, invalid('invoiceDate'));
    },
  },
  {
    name: 'negative and non-integer amounts',
    type: 'ZReportClosed',
    build: ({ tenant, n }) => {
      const z = zReport(`hx-${n}`, 1, osloDate(1), new Rng(n));
      z.payments[0] = { ...z.payments[0]!, amount: z.payments[0]!.amount + 0.5, count: -3 };
      z.cash = { openingFloat: -50000, counted: 10000, difference: 0 };
      return event('ZReportClosed', tenant.tenantId, `hx-${n}:1`, z, invalid('payments'));
    },
  },
  {
    name: 'tenant that does not exist',
    type: 'CustomerChanged',
    build: ({ ghost, n, tenant }) =>
      event('CustomerChanged', ghost, `hx-${n}`, customer(`hx-${n}`, tenant.marker), {
        kind: 'failure',
        code: 'TENANT_UNKNOWN',
      }),
  },
  {
    name: 'tenant id with path injection',
    type: 'CustomerChanged',
    build: ({ tenant, n }) => {
      const bad = '../../etc/passwd';
      return {
        ...event('CustomerChanged', bad, `hx-${n}`, customer(`hx-${n}`, tenant.marker), parked),
        tenantId: undefined,
      };
    },
  },
  {
    name: 'tenant id with SQL injection',
    type: 'ArticleChanged',
    build: ({ tenant, n }) => {
      const bad = `${tenant.tenantId}' OR '1'='1'; DROP TABLE tenancy.tenants;--`;
      return {
        ...event('ArticleChanged', bad, `hx-${n}`, article(`hx-${n}`, tenant.marker), parked),
        tenantId: undefined,
      };
    },
  },
  {
    name: 'tenant id with header injection (CR LF)',
    type: 'InvoicePosted',
    build: ({ tenant, other, n }) => {
      const bad = `${tenant.tenantId}\r\nce_tenantid: ${other.tenantId}`;
      const inv = invoice(tenant.marker, 900 + n, 'c-0', osloDate(1), osloDate(-13), new Rng(n));
      return { ...event('InvoicePosted', bad, inv.invoiceId, inv, parked), tenantId: undefined };
    },
  },
  {
    name: 'key of one tenant, ce_tenantid of another',
    type: 'CustomerChanged',
    build: ({ tenant, other, n }) => {
      const h = headers('CustomerChanged', other.tenantId);
      return {
        key: `${tenant.tenantId}:hx-${n}`,
        value: JSON.stringify(customer(`hx-${n}`, other.marker)),
        headers: h,
        eventId: h.ce_id,
        expectation: parked,
      };
    },
  },
  {
    name: 'oversized message (1.2 MiB)',
    type: 'ZReportClosed',
    build: ({ tenant, n }) => {
      const z = zReport(`hx-${n}`, 1, osloDate(1), new Rng(n));
      return event(
        'ZReportClosed',
        tenant.tenantId,
        `hx-${n}:1`,
        { ...z, padding: 'p'.repeat(Math.round(1.2 * MIB)) },
        invalid('value'),
      );
    },
  },
  {
    name: 'deeply nested JSON (100 000 levels)',
    type: 'CustomerChanged',
    build: ({ tenant, n }) => {
      const h = headers('CustomerChanged', tenant.tenantId);
      const depth = 100_000;
      const value = `{"customerId":"hx-${n}","isPerson":false,"name":"x","active":true,"version":1,"changedAt":"2026-01-01T10:00:00Z","address":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`;
      return {
        key: `${tenant.tenantId}:hx-${n}`,
        value,
        headers: h,
        eventId: h.ce_id,
        tenantId: tenant.tenantId,
        expectation: invalid(),
      };
    },
  },
  {
    name: 'CloudEvents headers missing',
    type: 'ArticleChanged',
    build: ({ tenant, n }) => {
      const h: Record<string, string> = headers('ArticleChanged', tenant.tenantId);
      delete h.ce_id;
      delete h.ce_type;
      delete h.ce_specversion;
      return {
        key: `${tenant.tenantId}:hx-${n}`,
        value: JSON.stringify(article(`hx-${n}`, tenant.marker)),
        headers: h,
        tenantId: tenant.tenantId,
        expectation: invalid('ce_id'),
      };
    },
  },
  {
    name: 'event type of another topic',
    type: 'InvoicePosted',
    build: ({ tenant, n }) => {
      const inv = invoice(tenant.marker, 900 + n, 'c-0', osloDate(1), osloDate(-13), new Rng(n));
      const r = event('InvoicePosted', tenant.tenantId, inv.invoiceId, inv, invalid('ce_type'));
      (r.headers as Record<string, string>).ce_type = 'CustomerChanged';
      return r;
    },
  },
  {
    name: 'no value (tombstone)',
    type: 'CustomerChanged',
    build: ({ tenant, n }) => {
      const h = headers('CustomerChanged', tenant.tenantId);
      return {
        key: `${tenant.tenantId}:hx-${n}`,
        value: null,
        headers: h,
        eventId: h.ce_id,
        tenantId: tenant.tenantId,
        expectation: invalid('value'),
      };
    },
  },
  {
    name: 'ce_tenantid header twice',
    type: 'ZReportClosed',
    build: ({ tenant, other, n }) => {
      const z = zReport(`hx-${n}`, 1, osloDate(1), new Rng(n));
      // The header cannot be read; the key can, and it is one of the two: the key's tenant is answered.
      const r = event('ZReportClosed', tenant.tenantId, `hx-${n}:1`, z, invalid('ce_tenantid'));
      (r.headers as Record<string, unknown>).ce_tenantid = [tenant.tenantId, other.tenantId];
      return r;
    },
  },
];

/** A valid event of `type` for a new entity of the tenant; it joins the tenant's load (expected in PowerOffice). */
function neighbour(
  type: PosEventType,
  load: TenantLoad,
  id: string,
  n: number,
): { entity: string; data: CustomerChanged | ArticleChanged | ZReportClosed | InvoicePosted } {
  switch (type) {
    case 'CustomerChanged': {
      const c = customer(id, load.marker);
      load.customers.push({ customerId: id, versions: [c] });
      return { entity: id, data: c };
    }
    case 'ArticleChanged': {
      const a = article(id, load.marker);
      load.articles.push({ articleId: id, code: a.articleNumber, versions: [a] });
      return { entity: id, data: a };
    }
    case 'ZReportClosed': {
      const z = zReport(id, 1, osloDate(1), new Rng(n));
      load.zReports.push(z);
      return { entity: `${id}:1`, data: z };
    }
    case 'InvoicePosted': {
      const inv = {
        ...invoice(load.marker, 500 + n, 'c-0', osloDate(1), osloDate(-13), new Rng(n)),
        invoiceId: `inv-${id}`,
      };
      load.invoices.push(inv);
      return { entity: inv.invoiceId, data: inv };
    }
  }
}

/**
 * Sends every hostile class once, each between two valid neighbours on one partition of a load
 * tenant (round robin). Returns how many records of each class were sent.
 */
export async function sendHostileInput(
  world: FaultWorld,
  loads: ReadonlyMap<string, TenantLoad>,
  tenants: readonly OnboardedTenant[],
  ghostTenant: string,
): Promise<Map<string, number>> {
  const sent = new Map<string, number>();
  for (const [n, cls] of HOSTILE_CLASSES.entries()) {
    const tenant = tenants[n % tenants.length]!;
    const other = tenants[(n + 1) % tenants.length]!;
    const load = loads.get(tenant.tenantId)!;
    const before = neighbour(cls.type, load, `hn-${n}-a`, n * 2);
    const first = await world.send(cls.type, tenant.tenantId, before.entity, before.data as never, 'neighbour');
    const record = cls.build({ tenant, other, n, ghost: ghostTenant });
    const topic = world.topic(posTopicKey(cls.type));
    const [meta] = await world.sendRaw(topic, [
      { key: record.key, value: record.value, headers: record.headers, partition: first.partition },
    ]);
    const offset = String(meta!.baseOffset ?? meta!.offset);
    world.produced.push({
      eventId: record.eventId ?? recordEventId({ topic, partition: first.partition, offset }),
      tenantId: record.tenantId ?? '(none)',
      type: cls.type,
      topic,
      partition: first.partition,
      offset,
      role: 'hostile',
      hostileClass: cls.name,
      expectation: record.expectation,
    });
    cls.adds?.(load, record);
    const after = neighbour(cls.type, load, `hn-${n}-b`, n * 2 + 1);
    await world.send(cls.type, tenant.tenantId, after.entity, after.data as never, 'neighbour', first.partition);
    sent.set(cls.name, (sent.get(cls.name) ?? 0) + 1);
  }
  return sent;
}

function posTopicKey(type: PosEventType): 'customerChanged' | 'articleChanged' | 'zReportClosed' | 'invoicePosted' {
  switch (type) {
    case 'CustomerChanged':
      return 'customerChanged';
    case 'ArticleChanged':
      return 'articleChanged';
    case 'ZReportClosed':
      return 'zReportClosed';
    case 'InvoicePosted':
      return 'invoicePosted';
  }
}

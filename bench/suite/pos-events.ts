import type { Kafka } from 'kafkajs';
import {
  ArticleChanged,
  buildEvent,
  CustomerChanged,
  encodeEnvelope,
  EncodedRecord,
  Envelope,
  InvoicePosted,
  invoicePostedExample,
  zReportEntityId,
  ZReportClosed,
} from '@lib/contracts';

/**
 * The POS events the benchmarks feed the flows, shaped so each costs what the flow's common case
 * costs: a new customer or article is one POST (no customer number or organisation number to look
 * up, no article group to create), a Z-report is one cash-journal voucher, an invoice one
 * outgoing-invoice voucher for a customer customer-sync already knows.
 */

/** The day the Z-reports and invoices are for: in the past, and the day the contract's examples use. */
export const BUSINESS_DATE = '2026-03-14';
const CHANGED_AT = '2026-03-14T10:00:00+01:00';

export function customerChanged(tenantId: string, n: number, version = 1): Envelope<CustomerChanged> {
  const data: CustomerChanged = {
    customerId: `c-${n}`,
    isPerson: false,
    name: `Benkekunde ${n} AS`,
    email: `kunde${n}@bench.example`,
    address: { line1: `Benkegata ${(n % 200) + 1}`, postalCode: '0155', city: 'Oslo', countryCode: 'NO' },
    active: true,
    version,
    // A redundant version says the same as version 1: only its number and time differ.
    changedAt: version === 1 ? CHANGED_AT : new Date(Date.parse(CHANGED_AT) + version * 60_000).toISOString(),
  };
  return buildEvent({ type: 'CustomerChanged', tenantId, entityId: data.customerId, data, source: 'open-one' });
}

const VAT_CODES = ['3', '31', '33', '5'];

export function articleChanged(tenantId: string, n: number, version = 1): Envelope<ArticleChanged> {
  const data: ArticleChanged = {
    articleId: `a-${n}`,
    articleNumber: String(100_000 + n),
    name: `Benkevare ${n}`,
    type: 'Product',
    unitPriceInclVat: 990 + (n % 5000),
    vatCode: VAT_CODES[n % VAT_CODES.length]!,
    unit: 'EA',
    active: true,
    version,
    changedAt: version === 1 ? CHANGED_AT : new Date(Date.parse(CHANGED_AT) + version * 60_000).toISOString(),
  };
  return buildEvent({ type: 'ArticleChanged', tenantId, entityId: data.articleId, data, source: 'open-one' });
}

/** Z 1 of register `kasse-<n>`: one register per report, so no report waits for another's Z number. */
export function zReportClosed(tenantId: string, n: number): Envelope<ZReportClosed> {
  const sales = 10_000 + (n % 90_000) * 10;
  const vat = Math.round(sales / 5);
  const data: ZReportClosed = {
    registerId: `kasse-${n}`,
    zNumber: 1,
    businessDate: BUSINESS_DATE,
    closedAt: '2026-03-14T22:00:00+01:00',
    currency: 'NOK',
    sales: [{ vatCode: '3', vatRate: 25, grossAmount: sales, netAmount: sales - vat, vatAmount: vat, count: 10 }],
    payments: [
      { method: 'cash', amount: Math.floor(sales / 2), count: 4 },
      { method: 'card', amount: sales - Math.floor(sales / 2), count: 6 },
    ],
  };
  return buildEvent({
    type: 'ZReportClosed',
    tenantId,
    entityId: zReportEntityId(data.registerId, data.zNumber),
    data,
    source: 'open-one',
  });
}

/** The contract's credit sale (1 250.00 at 25 %), numbered, to customer `c-<customer>`. */
export function invoicePosted(tenantId: string, n: number, customer: number): Envelope<InvoicePosted> {
  const data: InvoicePosted = {
    ...structuredClone(invoicePostedExample),
    invoiceId: `inv-${n}`,
    invoiceNumber: String(500_000 + n),
    customer: { customerId: `c-${customer}` },
  };
  return buildEvent({ type: 'InvoicePosted', tenantId, entityId: data.invoiceId, data, source: 'open-one' });
}

/**
 * Produces `count` records, built on the fly (200 000 envelopes would not fit comfortably in
 * memory at once), in batches of `batchSize` per request. Sequential batches keep each key's
 * versions in order on its partition.
 */
export async function produceRecords(
  kafka: Kafka,
  topic: string,
  count: number,
  recordAt: (i: number) => EncodedRecord,
  batchSize = 1000,
): Promise<{ seconds: number }> {
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const started = Date.now();
  try {
    for (let from = 0; from < count; from += batchSize) {
      const messages: EncodedRecord[] = [];
      for (let i = from; i < Math.min(count, from + batchSize); i++) messages.push(recordAt(i));
      await producer.send({ topic, acks: -1, messages });
    }
  } finally {
    await producer.disconnect();
  }
  return { seconds: (Date.now() - started) / 1000 };
}

/** Envelopes already built, produced in order. */
export function produceEnvelopes(
  kafka: Kafka,
  topic: string,
  events: readonly Envelope[],
): Promise<{ seconds: number }> {
  return produceRecords(kafka, topic, events.length, (i) => encodeEnvelope(events[i]!));
}

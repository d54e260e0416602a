/**
 * `npm run demo`: the whole integration end to end on one machine. Starts the PowerOffice emulator
 * and every app as separate processes on the real Kafka broker and PostgreSQL, onboards a demo shop
 * through the console with the NS 4102 preset, plays one business day from the POS, and prints what
 * an accountant would want to see. Stops everything it started; exits non-zero saying what failed.
 */
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import {
  buildEvent,
  encodeEnvelope,
  topicName,

  TopicKey,
  type ArticleChanged,
  type CustomerChanged,
  type InvoicePosted,
  type ZReportClosed,
  zReportExample82,
} from '@lib/contracts';
import { runMigrations } from '@lib/platform';
import { LocalStack, recreateDatabase, ROOT, waitFor } from './stack';

const TENANT = 'demo-kaffebar';
const OPERATOR_TOKEN = 'demo-operator-token';
const ADMIN_DB_URL = process.env.DEMO_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const BROKERS = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';

const step = (n: number, total: number, text: string) => console.log(`\n[${n}/${total}] ${text}`);
const info = (text: string) => console.log(`      ${text}`);
const nok = (ore: number) =>
  (ore / 100).toLocaleString('nb-NO', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).replace(/\u00a0/g, ' ');
const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));
const lpad = (s: string, n: number) => (s.length >= n ? s : ' '.repeat(n - s.length) + s);

function osloToday(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Oslo' }).format(new Date());
}

interface Outcome {
  type: string;
  key: string;
  data: Record<string, unknown>;
  causationId?: string;
}

async function main(): Promise<void> {
  const TOTAL = 8;
  const started = Date.now();
  const runId = new Date().toISOString().replace(/[-:T.Z]/g, '').slice(0, 14);
  const prefix = `demo-${runId}.`;
  const stack = new LocalStack({ env: {}, logDir: path.join(ROOT, 'test-artifacts/demo', runId) });
  const kafka = new Kafka({ clientId: 'demo', brokers: BROKERS.split(','), logLevel: logLevel.NOTHING });
  const producer = kafka.producer();
  const outcomes: Outcome[] = [];
  const consumer = kafka.consumer({ groupId: `demo-observer-${runId}` });

  try {
    step(1, TOTAL, 'Preparing a fresh database and topics');
    const databaseUrl = await recreateDatabase(ADMIN_DB_URL, 'oop_demo');
    const migrations = await runMigrations(databaseUrl);
    info(`database oop_demo with ${migrations.length} migrations; Kafka ${BROKERS}; topic prefix ${prefix}`);

    step(2, TOTAL, 'Starting the PowerOffice emulator');
    const emulator = await stack.start('poweroffice-emulator', { env: { EMULATOR_RATE_LIMIT: '10', LOG_LEVEL: 'warn' } });
    info(`emulator at ${emulator.url}`);
    const created = await postJson<{ clientKey: string; clientId: string }>(`${emulator.url}/_emulator/clients`, {
      name: 'Demo Kaffebar AS',
      organizationNumber: '999888777',
      preset: 'ns4102',
    });
    const clientKey = created.clientKey;
    info('a PowerOffice client "Demo Kaffebar AS" with the NS 4102 chart; the shop added the "Open One" extension');

    step(3, TOTAL, 'Starting the apps (customer-sync, article-sync, settlement, invoice, console)');
    const common: Record<string, string> = {
      KAFKA_BROKERS: BROKERS,
      DATABASE_URL: databaseUrl,
      TOPIC_PREFIX: prefix,
      POWEROFFICE_BASE_URL: emulator.url,
      POWEROFFICE_RATE_LIMIT: '10',
      CONSOLE_OPERATOR_TOKEN: `demo:${OPERATOR_TOKEN}`,
      CUSTOMER_POLL_INTERVAL_MS: '2000',
      SETTLEMENT_POLL_INTERVAL_MS: '1000',
      DB_MIGRATE_ON_START: 'false',
      LOG_LEVEL: 'warn',
    };
    await Promise.all(['customer-sync', 'article-sync', 'settlement', 'invoice', 'console'].map((app) =>
      stack.start(app as 'console', { env: common }).then((p) => info(`${pad(app, 14)} ${p.url}/health ok`)),
    ));
    const consoleUrl = stack.url('console');

    await producer.connect();
    await consumer.connect();
    for (const key of ['customerSyncOutcomes', 'articleSyncOutcomes', 'settlementOutcomes', 'invoiceOutcomes', 'powerOfficeCustomerChanged'] as TopicKey[]) {
      await consumer.subscribe({ topic: topicName(key, prefix), fromBeginning: true });
    }
    await consumer.run({
      eachMessage: async ({ message }) => {
        const h = (n: string) => message.headers?.[n]?.toString();
        outcomes.push({
          type: h('ce_type') ?? '?',
          key: message.key?.toString() ?? '',
          causationId: h('ce_causationid'),
          data: JSON.parse(message.value?.toString() ?? '{}') as Record<string, unknown>,
        });
      },
    });

    step(4, TOTAL, 'Onboarding the shop in the console (client key checked against PowerOffice, NS 4102 mapping)');
    const auth = { Authorization: `Bearer ${OPERATOR_TOKEN}` };
    await postJson(`${consoleUrl}/tenants`, { id: TENANT, name: 'Demo Kaffebar AS', organizationNumber: '999888777', clientKey }, auth);
    info(`tenant ${TENANT} onboarded; the client key is stored encrypted and never shown again`);
    await putJson(`${consoleUrl}/tenants/${TENANT}/mapping`, { preset: 'ns4102' }, auth);
    await putJson(`${consoleUrl}/tenants/${TENANT}/schedule`, { mode: 'afterEndOfDay' }, auth);
    info('account mapping: NS 4102 preset; settlement: right after end of day');

    const today = osloToday();
    const send = async (key: TopicKey, env: ReturnType<typeof buildEvent>) => {
      const rec = encodeEnvelope(env);
      await producer.send({ topic: topicName(key, prefix), messages: [{ key: rec.key, value: rec.value, headers: rec.headers }] });
      return env.id;
    };
    const awaitOutcome = (causeId: string, what: string, timeoutMs = 60000) =>
      waitFor(what, async () => outcomes.find((o) => o.causationId === causeId && o.type !== 'SettlementScheduled'), { timeoutMs });

    step(5, TOTAL, 'Playing the business day at the till');
    const customers: CustomerChanged[] = [
      { customerId: 'c-1001', isPerson: false, name: 'Fjordkafé Catering AS', organizationNumber: '912345678', email: 'post@fjordkafe.no', invoiceEmail: 'faktura@fjordkafe.no', phone: '+4722334455', address: { line1: 'Kaigata 1', postalCode: '5003', city: 'Bergen', countryCode: 'NO' }, active: true, version: 1, changedAt: new Date().toISOString() },
      { customerId: 'c-1002', isPerson: true, firstName: 'Kari', lastName: 'Nordmann', email: 'kari@example.no', active: true, version: 1, changedAt: new Date().toISOString() },
    ];
    for (const c of customers) {
      const id = await send('customerChanged', buildEvent({ type: 'CustomerChanged', tenantId: TENANT, entityId: c.customerId, data: c, source: 'open-one' }));
      const o = await awaitOutcome(id, `outcome of CustomerChanged ${c.customerId}`);
      info(`customer ${pad(c.customerId, 7)} → ${o.type} ${String(o.data.action ?? '')} (PowerOffice no. ${String((o.data.powerOffice as { customerNumber?: number })?.customerNumber ?? '?')})`);
    }
    const articles: ArticleChanged[] = [
      { articleId: 'a-1', articleNumber: '1001', name: 'Kaffe latte', type: 'Product', unitPriceInclVat: 5900, vatCode: '31', unit: 'EA', active: true, version: 1, changedAt: new Date().toISOString() },
      { articleId: 'a-2', articleNumber: '1002', name: 'Kanelbolle', type: 'Product', unitPriceInclVat: 3900, vatCode: '31', unit: 'EA', active: true, version: 1, changedAt: new Date().toISOString() },
      { articleId: 'a-3', articleNumber: '2001', name: 'Kaffekopp med logo', type: 'Product', unitPriceInclVat: 24900, vatCode: '3', unit: 'EA', active: true, version: 1, changedAt: new Date().toISOString() },
      { articleId: 'a-4', articleNumber: '3001', name: 'Dagsavis', type: 'Product', unitPriceInclVat: 4000, vatCode: '5', unit: 'EA', active: true, version: 1, changedAt: new Date().toISOString() },
    ];
    for (const a of articles) {
      const id = await send('articleChanged', buildEvent({ type: 'ArticleChanged', tenantId: TENANT, entityId: a.articleId, data: a, source: 'open-one' }));
      const o = await awaitOutcome(id, `outcome of ArticleChanged ${a.articleId}`);
      info(`article  ${pad(a.articleNumber, 7)} ${pad(a.name, 20)} VAT ${pad(a.vatCode, 3)} → ${o.type} ${String(o.data.action ?? '')}`);
    }

    // A customer created in PowerOffice by the accountant flows back to the POS.
    const token = await emulatorToken(emulator.url, clientKey);
    await postJson(`${emulator.url}/v2/Customers`, { Name: 'Regnskapsbyrået Vest AS', OrganizationNumber: '923456789', EmailAddress: 'post@rvest.no' }, {
      Authorization: `Bearer ${token}`,
      'Ocp-Apim-Subscription-Key': 'e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0',
    });
    const back = await waitFor('PowerOfficeCustomerChanged for the customer made in PowerOffice', async () =>
      outcomes.find((o) => o.type === 'PowerOfficeCustomerChanged' && String((o.data as { name?: string }).name ?? '').startsWith('Regnskapsbyrået')), { timeoutMs: 60000 });
    info(`PowerOffice → POS: "Regnskapsbyrået Vest AS" (PowerOffice no. ${String((back.data.powerOffice as { customerNumber?: number }).customerNumber)}) published for Open One`);

    const invoice = (invoiceId: string, invoiceNumber: string, customerId: string, customerNumber?: number): InvoicePosted => ({
      invoiceId,
      invoiceNumber,
      kind: 'invoice',
      customer: customerNumber === undefined ? { customerId } : { customerId, customerNumber },
      invoiceDate: today,
      dueDate: today,
      currency: 'NOK',
      kid: '0000123455',
      lines: [
        { articleNumber: '2001', description: 'Kaffekopp med logo', quantity: 10, unitPriceExclVat: 19920, vatCode: '3', netAmount: 199200, vatAmount: 49800, grossAmount: 249000 },
        { articleNumber: '1002', description: 'Kanelbolle (catering)', quantity: 40, unitPriceExclVat: 3391, vatCode: '31', netAmount: 135640, vatAmount: 20346, grossAmount: 155986 },
      ],
      totals: { net: 334840, vat: 70146, gross: 404986 },
    });
    const inv1 = await send('invoicePosted', buildEvent({ type: 'InvoicePosted', tenantId: TENANT, entityId: 'inv-1', data: invoice('inv-1', '70001', 'c-1001'), source: 'open-one' }));
    const o1 = await awaitOutcome(inv1, 'outcome of invoice 70001');
    info(`invoice 70001 to Fjordkafé Catering AS, ${nok(404986)} kr → ${o1.type}`);
    const sent2 = Date.now();
    const inv2 = await send('invoicePosted', buildEvent({ type: 'InvoicePosted', tenantId: TENANT, entityId: 'inv-2', data: invoice('inv-2', '70002', 'c-9999', 19999), source: 'open-one' }));
    const o2 = await awaitOutcome(inv2, 'outcome of invoice 70002');
    const err2 = o2.data.error as { code?: string; message?: string } | undefined;
    info(`invoice 70002 to an unknown customer → ${o2.type} ${err2?.code ?? ''} after ${Date.now() - sent2} ms: "${err2?.message ?? ''}"`);

    step(6, TOTAL, 'End of day: the register closes with a Z-report');
    // The day of pos-domain §8.2 (the contract's fixture), closed today at this shop's first register.
    const { departmentCode: _department, grandTotals: _grandTotals, ...day } = structuredClone(zReportExample82);
    const z: ZReportClosed = {
      ...day,
      registerId: 'kasse-1',
      storeId: 'bergen-sentrum',
      zNumber: 1,
      businessDate: today,
      closedAt: new Date().toISOString(),
    };
    const zId = await send('zReportClosed', buildEvent({ type: 'ZReportClosed', tenantId: TENANT, entityId: `${z.registerId}:${z.zNumber}`, data: z, source: 'open-one' }));
    const posted = await awaitOutcome(zId, 'SettlementPosted for Z 1', 90000);
    if (posted.type !== 'SettlementPosted') throw new Error(`the Z-report was not posted: ${JSON.stringify(posted.data)}`);
    const po = posted.data.powerOffice as { voucherId: string; voucherNo?: number };
    info(`Z 1 of kasse-1 → SettlementPosted: voucher no. ${po.voucherNo ?? '?'} (${po.voucherId})`);

    step(7, TOTAL, 'Reading the books back from PowerOffice');
    const apiHeaders = { Authorization: `Bearer ${await emulatorToken(emulator.url, clientKey)}`, 'Ocp-Apim-Subscription-Key': 'e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0' };
    const voucher = await getJson<{ VoucherNo: number; Description?: string; VoucherLines: { AccountId: number; VatId: number; CurrencyAmount: number; Description?: string }[] }>(
      `${emulator.url}/v2/Vouchers/CashJournals/${po.voucherId}`, apiHeaders);
    const accounts = await getJson<{ Id: number; AccountNo: number; Name: string }[]>(`${emulator.url}/v2/GeneralLedgerAccounts`, apiHeaders);
    const vats = await getJson<{ Id: number; Code: string }[]>(`${emulator.url}/v2/VatCodes`, apiHeaders);
    const accById = new Map(accounts.map((a) => [a.Id, a]));
    const vatById = new Map(vats.map((v) => [v.Id, v.Code]));
    const tx = await getJson<{ AccountNo: number; Amount: number; VatAmount?: number; VoucherType?: string }[]>(
      `${emulator.url}/v2/AccountTransactions?fromDate=${today}&toDate=${today}`, apiHeaders);

    step(8, TOTAL, 'Report');
    console.log('\n  Outcomes published for Open One');
    const counts = new Map<string, number>();
    for (const o of outcomes) counts.set(o.type, (counts.get(o.type) ?? 0) + 1);
    for (const [type, n] of [...counts.entries()].sort()) console.log(`    ${pad(type, 28)} ${n}`);

    console.log(`\n  Cash-journal voucher ${voucher.VoucherNo}: ${voucher.Description ?? ''}`);
    console.log(`    ${pad('Account', 40)} ${pad('VAT', 4)} ${lpad('Debit', 12)} ${lpad('Credit', 12)}`);
    let debit = 0;
    let credit = 0;
    for (const l of voucher.VoucherLines) {
      const ore = Math.round(l.CurrencyAmount * 100);
      const acc = accById.get(l.AccountId);
      if (ore > 0) debit += ore;
      else credit -= ore;
      console.log(`    ${pad(`${acc?.AccountNo ?? l.AccountId} ${acc?.Name ?? ''}`.slice(0, 40), 40)} ${pad(vatById.get(l.VatId) ?? '?', 4)} ${lpad(ore > 0 ? nok(ore) : '', 12)} ${lpad(ore < 0 ? nok(-ore) : '', 12)}`);
    }
    console.log(`    ${pad('Total', 40)} ${pad('', 4)} ${lpad(nok(debit), 12)} ${lpad(nok(credit), 12)}${debit === credit ? '   balanced' : '   NOT BALANCED'}`);

    console.log(`\n  Trial balance for ${today} (PowerOffice AccountTransactions, all vouchers of the day)`);
    const byAccount = new Map<number, number>();
    for (const t of tx) byAccount.set(t.AccountNo, (byAccount.get(t.AccountNo) ?? 0) + Math.round(t.Amount * 100));
    const accByNo = new Map(accounts.map((a) => [a.AccountNo, a]));
    let tbDebit = 0;
    let tbCredit = 0;
    for (const [no, ore] of [...byAccount.entries()].sort((a, b) => a[0] - b[0])) {
      if (ore > 0) tbDebit += ore;
      else tbCredit -= ore;
      console.log(`    ${pad(`${no} ${accByNo.get(no)?.Name ?? ''}`.slice(0, 45), 45)} ${lpad(ore > 0 ? nok(ore) : '', 12)} ${lpad(ore < 0 ? nok(-ore) : '', 12)}`);
    }
    console.log(`    ${pad('Total', 45)} ${lpad(nok(tbDebit), 12)} ${lpad(nok(tbCredit), 12)}`);

    const envLine = `DATABASE_URL=${databaseUrl} TOPIC_PREFIX=${prefix}`;
    console.log('\n  Where to look (the demo stopped its processes; its database and topics stay until the next demo):');
    console.log(`    status of the shop:  ${envLine} npm run cli -- status --tenant ${TENANT}`);
    console.log(`    the console web page: ${envLine} CONSOLE_OPERATOR_TOKEN=${OPERATOR_TOKEN} npm run start:console`);
    console.log(`                          then open http://127.0.0.1:3000/ and sign in with the token "${OPERATOR_TOKEN}"`);
    console.log(`  Process logs of this run: ${path.relative(process.cwd(), path.join(ROOT, 'test-artifacts/demo', runId))}/`);
    console.log(`\nDemo finished in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  } finally {
    await consumer.disconnect().catch(() => undefined);
    await producer.disconnect().catch(() => undefined);
    await stack.stopAll();
  }
}

async function emulatorToken(baseUrl: string, clientKey: string): Promise<string> {
  const res = await fetch(`${baseUrl}/OAuth/Token`, {
    method: 'POST',
    headers: {
      Authorization: `Basic ${Buffer.from(`00000000-0000-4000-8000-0000000a0001:${clientKey}`).toString('base64')}`,
      'Ocp-Apim-Subscription-Key': 'e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0',
      'Content-Type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials',
  });
  if (!res.ok) throw new Error(`emulator token: HTTP ${res.status}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

async function request<T>(method: string, url: string, body: unknown, headers: Record<string, string> = {}): Promise<T> {
  // The demo reads PowerOffice directly, as an accountant's tool would, outside the apps' shared
  // budget: when the emulator throttles it, wait as told and ask again.
  let res: Response;
  for (let attempt = 1; ; attempt++) {
    res = await fetch(url, {
      method,
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (res.status !== 429 || attempt >= 10) break;
    await res.text();
    await new Promise((r) => setTimeout(r, 1000 * Number(res.headers.get('retry-after') ?? 1)));
  }
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${url.replace(/\/\/[^/]+/, '//…')}: HTTP ${res.status} ${text.slice(0, 500)}`);
  return (text ? JSON.parse(text) : undefined) as T;
}
const postJson = <T = unknown>(url: string, body: unknown, headers?: Record<string, string>) => request<T>('POST', url, body, headers);
const putJson = <T = unknown>(url: string, body: unknown, headers?: Record<string, string>) => request<T>('PUT', url, body, headers);
const getJson = <T = unknown>(url: string, headers?: Record<string, string>) => request<T>('GET', url, undefined, headers);

main().then(
  () => process.exit(0),
  (err: Error) => {
    console.error(`\nDemo FAILED: ${err.message}`);
    console.error('Process logs are under test-artifacts/demo/. Fix the cause above and run `npm run demo` again.');
    process.exit(1);
  },
);

import { randomBytes } from 'node:crypto';
import type { Message } from 'kafkajs';
import type { ArticleChanged, CustomerChanged, InvoicePosted, PosEventType, ZReportClosed } from '@lib/contracts';
import type { ClientState, LoggedRequest } from '../../../apps/poweroffice-emulator/src/bootstrap';
import {
  FaultLog,
  killRounds,
  lateAnswersWindow,
  powerOfficeWindow,
  rebalance,
  restartInfrastructure,
  sleep,
} from './faults';
import { sendHostileInput } from './hostile';
import { finalOutcomes, outcomesByCause, ProducedEvent, TenantState } from './invariants';
import {
  customerVersion,
  entityOf,
  invoice,
  loadSize,
  osloDate,
  TenantLoad,
  tenantLoad,
  zReport,
  articleVersion,
} from './pos-load';
import { FaultSuiteSettings, Rng } from './settings';
import { FaultWorld, FLOW_APPS, OnboardedTenant, POWEROFFICE_TIMEOUT_MS } from './world';

/** PowerOffice does the work but answers after the client's timeout: the create's result is unknown to the app. */
const LATE_ANSWERS = `PowerOffice answers after the client's ${POWEROFFICE_TIMEOUT_MS / 1000} s timeout (work done, answer lost)`;

/**
 * The run: a mixed load of the four POS events across many tenants while the faults happen, phase
 * by phase, with the operator's recovery (redrive of what gave up) where the integration's contract
 * says an operator acts. Everything measured goes into the ScenarioResult for the checks and report.
 */
export interface PhaseTiming {
  phase: string;
  ms: number;
  /** Events still without a final outcome when the phase's wait ended (0 when it settled). */
  unsettled: number;
}

export interface CrossTenantProbe {
  victim: OnboardedTenant;
  attacker: OnboardedTenant;
  /** Requests made with the victim's client key while the attacker's events naming it were processed. */
  victimWrites: LoggedRequest[];
  victimRequests: number;
  victimBefore: ClientState;
  victimAfter: ClientState;
}

export interface HostileHealth {
  app: string;
  pidBefore?: number;
  pidAfter?: number;
  running: boolean;
  status: number;
}

export interface ScenarioResult {
  tenants: OnboardedTenant[];
  loads: Map<string, TenantLoad>;
  recoveries: Map<string, number>;
  /** Events an operator had to send again, by the failure that made them give up. */
  recoveredBy: Map<string, number>;
  hostileSent: Map<string, number>;
  hostileHealth: HostileHealth[];
  /** Every flow app at the end of the run, without a restart by the suite after the last fault. */
  finalHealth: HostileHealth[];
  outOfOrder: number;
  probe: CrossTenantProbe;
  states: Map<string, TenantState>;
  timings: PhaseTiming[];
  emulatorStats: { total: number; byStatus: Record<string, number> };
}

type AnyPosData = CustomerChanged | ArticleChanged | ZReportClosed | InvoicePosted;
interface Delivery {
  type: PosEventType;
  tenantId: string;
  data: AnyPosData;
}

export async function runScenario(
  world: FaultWorld,
  settings: FaultSuiteSettings,
  log: FaultLog,
): Promise<ScenarioResult> {
  const rng = new Rng(settings.seed);
  const run = randomBytes(2).toString('hex');
  const size = loadSize(settings.scale);
  const timings: PhaseTiming[] = [];
  const recoveries = new Map<string, number>();
  const recoveredBy = new Map<string, number>();
  const loads = new Map<string, TenantLoad>();
  let outOfOrder = 0;

  // ---------------------------------------------------------------- setup
  let t0 = Date.now();
  await world.startEmulator();
  const tenants: OnboardedTenant[] = [];
  for (let i = 0; i < settings.tenants; i++) {
    const t = await world.onboard(`shop${i}-${run}`, `S${i}X${run}`);
    tenants.push(t);
    loads.set(t.tenantId, tenantLoad(t.tenantId, t.marker, size, rng));
  }
  // Two more shops for the cross-tenant probe: the victim gets customers of its own, the attacker's events name them.
  const victim = await world.onboard(`victim-${run}`, `VX${run}`);
  const attacker = await world.onboard(`attacker-${run}`, `AX${run}`);
  loads.set(victim.tenantId, {
    tenantId: victim.tenantId,
    marker: victim.marker,
    customers: [],
    articles: [],
    zReports: [],
    invoices: [],
  });
  loads.set(attacker.tenantId, {
    tenantId: attacker.tenantId,
    marker: attacker.marker,
    customers: [],
    articles: [],
    zReports: [],
    invoices: [],
  });
  for (const id of ['c-only-victim', 'c-shared']) {
    const c: CustomerChanged = {
      ...customerVersion(victim.marker, 0, 1),
      customerId: id,
      name: `Kunde ${victim.marker}-${id} v1`,
    };
    loads.get(victim.tenantId)!.customers.push({ customerId: id, versions: [c] });
  }
  await world.startApps([...FLOW_APPS, 'console']);
  timings.push({ phase: 'setup: emulator, tenants, apps', ms: Date.now() - t0, unsettled: 0 });
  world.progress(`setup done in ${Math.round((Date.now() - t0) / 1000)} s`);

  const newestSent = new Map<string, number>();
  /** Sends deliveries in a random order over `spreadMs`, some twice (same ce_id), recording what was sent. */
  const deliver = async (deliveries: Delivery[], spreadMs: number) => {
    const sent: { type: PosEventType; message: Message }[] = [];
    const gap = deliveries.length > 0 ? spreadMs / deliveries.length : 0;
    for (const d of deliveries) {
      const { message } = await world.send(d.type, d.tenantId, entityOf(d.type, d.data), d.data as never);
      sent.push({ type: d.type, message });
      const version = (d.data as { version?: number }).version;
      if (version !== undefined) {
        const entity = `${d.tenantId}:${d.type}:${entityOf(d.type, d.data)}`;
        if (version < (newestSent.get(entity) ?? 0)) world.produced[world.produced.length - 1]!.stale = true;
        newestSent.set(entity, Math.max(version, newestSent.get(entity) ?? 0));
      }
      if (rng.chance(0.12)) {
        const again = sent[rng.int(0, sent.length - 1)]!;
        await world.redeliver(again.type, again.message);
      }
      if (gap > 0) await sleep(gap);
    }
  };

  // A phase waits for its own events only: a flow stuck since an earlier phase is reported once, by
  // the checks, instead of making every later wait run into its timeout.
  let phaseStart = 0;
  const waitSettled = async (phase: string, started: number, timeoutMs: number) => {
    world.progress(`${phase}: load and faults done, waiting for the outcomes`);
    const unsettled = await waitForFinals(world, recoveries, timeoutMs, phaseStart);
    timings.push({ phase, ms: Date.now() - started, unsettled: unsettled.length });
    world.progress(`${phase}: ${unsettled.length} unsettled after ${Math.round((Date.now() - started) / 1000)} s`);
  };

  // ---------------------------------------------------------------- phase 1: master data
  t0 = Date.now();
  phaseStart = world.produced.length;
  const masterData: Delivery[] = [];
  for (const t of tenants) {
    const load = loads.get(t.tenantId)!;
    for (const plan of [...load.customers, ...load.articles]) {
      const type = 'customerId' in plan ? 'CustomerChanged' : 'ArticleChanged';
      // Versions of one entity share a key, hence a partition: v2 before v1 is out-of-order delivery.
      const versions = rng.chance(0.35) ? [...plan.versions].reverse() : plan.versions;
      if (versions !== plan.versions) outOfOrder++;
      for (const v of versions) masterData.push({ type, tenantId: t.tenantId, data: v });
    }
  }
  for (const plan of loads.get(victim.tenantId)!.customers)
    masterData.push({ type: 'CustomerChanged', tenantId: victim.tenantId, data: plan.versions[0]! });
  // Timeline: PowerOffice misbehaves first (while every consumer is at work), a second article-sync
  // instance joins and leaves, and the crashes come in the second half of the load.
  const produceWindow = 26_000;
  await Promise.all([
    deliver(shuffleKeepingEntityOrder(masterData, rng), produceWindow),
    killRounds(world, 'customer-sync', settings.killsPerApp, rng, log, { fromMs: 22_000, toMs: produceWindow + 4000 }),
    killRounds(world, 'article-sync', settings.killsPerApp, rng, log, { fromMs: 22_000, toMs: produceWindow + 4000 }),
    (async () => {
      await sleep(2000);
      await rebalance(world, 'article-sync', 10_000, log);
    })(),
    (async () => {
      await sleep(1000);
      await lateAnswersWindow(world, LATE_ANSWERS, POWEROFFICE_TIMEOUT_MS, 8000, log);
      await powerOfficeWindow(world, 'slow PowerOffice responses (300 ms each)', { latencyMs: 300 }, 6000, [], log);
      await powerOfficeWindow(
        world,
        'PowerOffice HTTP 500s',
        { errorRate: 0.25, errorStatus: 500 },
        6000,
        ['500'],
        log,
      );
    })(),
  ]);
  await waitSettled(
    '1: customers and articles (kill -9, rebalance, latency, 500s, duplicates, out of order)',
    t0,
    180_000,
  );
  await redriveGivenUp(world, recoveries, recoveredBy, 'phase 1');
  await waitForFinals(world, recoveries, 60_000, phaseStart);

  // ---------------------------------------------------------------- phase 2: settlements and invoices
  t0 = Date.now();
  phaseStart = world.produced.length;
  const daily: Delivery[] = [];
  for (const t of tenants) {
    const load = loads.get(t.tenantId)!;
    const byRegister = new Map<string, ZReportClosed[]>();
    for (const z of load.zReports) byRegister.set(z.registerId, [...(byRegister.get(z.registerId) ?? []), z]);
    for (const zs of byRegister.values()) {
      // Z 2 before Z 1 of a register: the settlement warns of a gap, then both days must still be posted once.
      const ordered = rng.chance(0.3) ? [...zs].reverse() : zs;
      if (ordered !== zs) outOfOrder++;
      for (const z of ordered) daily.push({ type: 'ZReportClosed', tenantId: t.tenantId, data: z });
    }
    for (const inv of load.invoices) daily.push({ type: 'InvoicePosted', tenantId: t.tenantId, data: inv });
  }
  // Timeline: late answers and the 429 storm while everything runs, then the broker and PostgreSQL
  // restarts with the crashes of the settlement and invoice apps around them.
  const dailyWindow = 24_000;
  await Promise.all([
    deliver(shuffleKeepingEntityOrder(daily, rng), dailyWindow),
    killRounds(world, 'settlement', settings.killsPerApp, rng, log, { fromMs: 20_000, toMs: 28_000 }),
    killRounds(world, 'invoice', settings.killsPerApp, rng, log, { fromMs: 20_000, toMs: 28_000 }),
    (async () => {
      await sleep(1000);
      await lateAnswersWindow(world, LATE_ANSWERS, POWEROFFICE_TIMEOUT_MS, 10_000, log);
      await powerOfficeWindow(
        world,
        'HTTP 429 storm (PowerOffice limit below the client budget)',
        { rateLimit: 3 },
        8000,
        ['429'],
        log,
      );
      await restartInfrastructure(world.broker, 'Kafka broker restart', log, 3000);
      await sleep(2000);
      await restartInfrastructure(world.postgres, 'PostgreSQL restart', log, 5000);
    })(),
  ]);
  await waitSettled('2: Z-reports and invoices (kill -9, 429 storm, broker and PostgreSQL restart)', t0, 180_000);
  await redriveGivenUp(world, recoveries, recoveredBy, 'phase 2');
  await waitForFinals(world, recoveries, 60_000, phaseStart);

  // ---------------------------------------------------------------- phase 3: hostile and broken input
  t0 = Date.now();
  phaseStart = world.produced.length;
  const pidsBefore = new Map(FLOW_APPS.map((a) => [a, world.stack.pid(a)]));
  const ghost = `ghost-${run}`;
  const hostileSent = await sendHostileInput(world, loads, tenants, ghost);
  await waitSettled('3: malformed and hostile input between valid events', t0, 120_000);
  const hostileHealth: HostileHealth[] = [];
  for (const app of FLOW_APPS) {
    const h = await world.health(app).catch(() => ({ status: 0 }));
    hostileHealth.push({
      app,
      pidBefore: pidsBefore.get(app),
      pidAfter: world.stack.pid(app),
      running: world.stack.isRunning(app),
      status: h.status,
    });
  }

  // ---------------------------------------------------------------- phase 4: PowerOffice outage
  t0 = Date.now();
  phaseStart = world.produced.length;
  const outageFault = `PowerOffice outage (${Math.round(settings.outageMs / 1000)} s of HTTP 503)`;
  log.plan(outageFault);
  const statsBefore = await world.emulator.stats();
  await world.emulator.setFaults({ outageMs: settings.outageMs });
  log.injected(outageFault);
  const duringOutage: Delivery[] = [];
  for (const t of tenants) {
    const load = loads.get(t.tenantId)!;
    const i = load.customers.length;
    const c = customerVersion(t.marker, i, 1);
    load.customers.push({ customerId: c.customerId, versions: [c] });
    const a = articleVersion(t.marker, load.articles.length, 1, rng.int(20, 400));
    load.articles.push({ articleId: a.articleId, code: a.articleNumber, versions: [a] });
    const z = zReport('kasse-outage', 1, osloDate(1), rng);
    load.zReports.push(z);
    const inv = invoice(t.marker, 300 + load.invoices.length, 'c-1', osloDate(1), osloDate(-13), rng);
    load.invoices.push(inv);
    duringOutage.push(
      { type: 'CustomerChanged', tenantId: t.tenantId, data: c },
      { type: 'ArticleChanged', tenantId: t.tenantId, data: a },
      { type: 'ZReportClosed', tenantId: t.tenantId, data: z },
      { type: 'InvoicePosted', tenantId: t.tenantId, data: inv },
    );
  }
  await deliver(shuffleKeepingEntityOrder(duringOutage, rng), Math.min(10_000, settings.outageMs / 3));
  // What cannot wait for PowerOffice ends in RETRIES_EXHAUSTED (and a dead letter) during the outage;
  // the settlement's poster keeps trying by itself. Then the operator redrives what gave up.
  await sleep(Math.max(0, t0 + settings.outageMs + 2000 - Date.now()));
  const statsAfter = await world.emulator.stats();
  log.note(
    outageFault,
    `PowerOffice answered ${(statsAfter.byStatus['503'] ?? 0) - (statsBefore.byStatus['503'] ?? 0)} × HTTP 503`,
  );
  await waitForFinals(world, recoveries, 90_000, phaseStart);
  await redriveGivenUp(world, recoveries, recoveredBy, 'phase 4 (outage)');
  await waitSettled(
    `4: PowerOffice outage of ${Math.round(settings.outageMs / 1000)} s, then the operator's redrive`,
    t0,
    120_000,
  );

  // ---------------------------------------------------------------- phase 5: cross-tenant probe
  t0 = Date.now();
  const victimBefore = await world.emulator.state(victim.clientKey);
  const [lastBefore] = (await world.emulator.requests({ clientKey: victim.clientKey })).slice(-1);
  const since = lastBefore?.seq ?? 0;
  const attackerLoad = loads.get(attacker.tenantId)!;
  // The attacker's POS names the victim's customer ids (and the victim's tenant id in an extra field):
  // the attacker's own PowerOffice gets its own customer, the victim's is never touched.
  const shared: CustomerChanged = {
    ...customerVersion(attacker.marker, 0, 1),
    customerId: 'c-shared',
    name: `Kunde ${attacker.marker}-c-shared v1`,
  };
  attackerLoad.customers.push({ customerId: 'c-shared', versions: [shared] });
  const probeSend = async (
    type: PosEventType,
    entity: string,
    data: AnyPosData,
    cls: string,
    expectation: ProducedEvent['expectation'],
  ) => {
    const sent = await world.send(type, attacker.tenantId, entity, data as never, 'hostile');
    const p = world.produced[world.produced.length - 1]!;
    p.hostileClass = cls;
    p.expectation = expectation;
    return sent;
  };
  await probeSend(
    'CustomerChanged',
    'c-shared',
    { ...shared, tenantId: victim.tenantId } as CustomerChanged,
    "cross-tenant: the victim's customer id and tenant id in the data",
    { kind: 'success' },
  );
  await waitForFinals(world, recoveries, 60_000, world.produced.length - 1);
  const probeInvoice = {
    ...invoice(attacker.marker, 1, 'c-only-victim', osloDate(1), osloDate(-13), rng),
    invoiceId: 'inv-probe',
  };
  await probeSend('InvoicePosted', 'inv-probe', probeInvoice, "cross-tenant: an invoice to the victim's customer", {
    kind: 'failure',
    code: 'CUSTOMER_NOT_FOUND',
  });
  await waitForFinals(world, recoveries, 60_000, world.produced.length - 1);
  const victimRequests = (await world.emulator.requests({ clientKey: victim.clientKey, since })).filter(
    (r) => r.seq > since,
  );
  const victimAfter = await world.emulator.state(victim.clientKey);
  timings.push({ phase: '5: cross-tenant probe', ms: Date.now() - t0, unsettled: 0 });

  // ---------------------------------------------------------------- where the apps stand
  const finalHealth: HostileHealth[] = [];
  for (const app of FLOW_APPS) {
    const h = await world.health(app).catch(() => ({ status: 0 }));
    finalHealth.push({ app, pidAfter: world.stack.pid(app), running: world.stack.isRunning(app), status: h.status });
  }

  // ---------------------------------------------------------------- what PowerOffice holds
  await log.settled();
  await world.observer.catchUp(120_000);
  const states = new Map<string, TenantState>();
  for (const t of world.tenantList) states.set(t.tenantId, await world.emulator.state(t.clientKey));
  const stats = await world.emulator.stats();
  return {
    tenants,
    loads,
    recoveries,
    recoveredBy,
    hostileSent,
    hostileHealth,
    finalHealth,
    outOfOrder,
    probe: {
      victim,
      attacker,
      victimRequests: victimRequests.length,
      victimWrites: victimRequests.filter((r) => r.method !== 'GET' && !/oauth/i.test(r.path)),
      victimBefore,
      victimAfter,
    },
    states,
    timings,
    emulatorStats: { total: stats.total, byStatus: stats.byStatus },
  };
}

/** A random order in which each entity's own events keep their planned order (they share a key). */
function shuffleKeepingEntityOrder(deliveries: Delivery[], rng: Rng): Delivery[] {
  const queues = new Map<string, Delivery[]>();
  for (const d of deliveries) {
    const k = `${d.tenantId}:${d.type}:${entityOf(d.type, d.data)}`;
    queues.set(k, [...(queues.get(k) ?? []), d]);
  }
  const out: Delivery[] = [];
  const open = [...queues.values()];
  while (open.length > 0) {
    const i = rng.int(0, open.length - 1);
    out.push(open[i]!.shift()!);
    if (open[i]!.length === 0) open.splice(i, 1);
  }
  return out;
}

/**
 * Waits until every event sent so far has its final outcome(s) (one more per operator redrive), and
 * every parked record its dead letter. Returns what is still open when `timeoutMs` runs out; the
 * invariant checks then report those events.
 */
export async function waitForFinals(
  world: FaultWorld,
  recoveries: ReadonlyMap<string, number>,
  timeoutMs: number,
  fromIndex = 0,
): Promise<ProducedEvent[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const byCause = outcomesByCause(world.observer.outcomes);
    const open = world.produced.slice(fromIndex).filter((p) => {
      if (p.expectation?.kind === 'parked')
        return !world.observer.deadLetters.some(
          (d) => d.originalTopic === p.topic && d.originalPartition === p.partition && d.originalOffset === p.offset,
        );
      return finalOutcomes(byCause.get(p.eventId) ?? []).length < 1 + (recoveries.get(p.eventId) ?? 0);
    });
    if (open.length === 0 || Date.now() > deadline) return open;
    await sleep(500);
  }
}

/**
 * The operator's part after an outage: events that gave up (RETRIES_EXHAUSTED, parked on the
 * dead-letter topic) are redriven through the console. Each redriven event must then end once more.
 */
async function redriveGivenUp(
  world: FaultWorld,
  recoveries: Map<string, number>,
  recoveredBy: Map<string, number>,
  after: string,
): Promise<void> {
  const byCause = outcomesByCause(world.observer.outcomes);
  const console = world.stack.url('console');
  const auth = { Authorization: `Bearer ${world.operatorToken}`, 'Content-Type': 'application/json' };
  for (const topic of ['customerChanged', 'articleChanged', 'zReportClosed', 'invoicePosted']) {
    const givenUp = world.produced.filter((p) => {
      if (p.role === 'hostile' || p.topic !== world.topic(topic as 'customerChanged')) return false;
      const finals = finalOutcomes(byCause.get(p.eventId) ?? []);
      const last = finals[finals.length - 1];
      return last && (last.data as { error?: { retryable?: boolean } }).error?.retryable === true;
    });
    if (givenUp.length === 0) continue;
    const res = await fetch(`${console}/dead-letters/redrive`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ topic, eventIds: givenUp.map((p) => p.eventId) }),
    });
    const report = (await res.json()) as { redriven?: { eventId: string }[] };
    if (!res.ok) throw new Error(`redrive through the console failed: HTTP ${res.status} ${JSON.stringify(report)}`);
    const redriven = new Set((report.redriven ?? []).map((l) => l.eventId));
    for (const p of givenUp) {
      const finals = finalOutcomes(byCause.get(p.eventId) ?? []);
      const last = finals[finals.length - 1]!;
      if (!redriven.has(p.eventId)) {
        // Not parked: a settlement whose posting gave up (the Z-report itself was taken in). The
        // operator resends the settlement instead.
        if (last.type !== 'SettlementFailed') continue;
        const { registerId, zNumber } = last.data as { registerId: string; zNumber: number };
        const resend = await fetch(
          `${console}/tenants/${encodeURIComponent(p.tenantId)}/settlements/${encodeURIComponent(registerId)}/${zNumber}/resend`,
          { method: 'POST', headers: auth },
        );
        if (!resend.ok)
          throw new Error(`settlement resend through the console failed: HTTP ${resend.status} ${await resend.text()}`);
      }
      recoveries.set(p.eventId, (recoveries.get(p.eventId) ?? 0) + 1);
      const err = (last.data as { error?: { code?: string; details?: { lastErrorCode?: string } } }).error;
      const lastCode = err?.details?.lastErrorCode;
      const code = `${after}|${last.type} ${err?.code ?? '?'}${lastCode && lastCode !== err?.code ? ` (last: ${lastCode})` : ''}`;
      recoveredBy.set(code, (recoveredBy.get(code) ?? 0) + 1);
    }
  }
}

import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../../tools/stack';
import { FaultLog } from './harness/faults';
import { HOSTILE_CLASSES } from './harness/hostile';
import {
  CheckResult,
  checkHostileAnswered,
  checkLedger,
  checkOneFinalOutcome,
  checkOneObjectPerEntity,
  checkOutcomesWellFormed,
  checkTenantIsolation,
  checkVouchersBalance,
  TenantExpectation,
} from './harness/invariants';
import { readLogEvidence } from './harness/log-evidence';
import { impliedLedger, Ledger } from './harness/pos-load';
import { renderReport } from './harness/report';
import { runScenario, ScenarioResult } from './harness/scenario';
import { checkConsoleAccess, checkStoredKeys, scanLogs, scanRecords, Secret } from './harness/security';
import { faultSuiteSettings } from './harness/settings';
import { FaultWorld } from './harness/world';

/**
 * Nothing lost, nothing posted twice, no tenant's data in another's books, no secret anywhere it
 * should not be: proven with the real broker and database while the apps are killed, the broker and
 * PostgreSQL restart, PowerOffice is down, throttles, errs and crawls, and the POS sends garbage.
 * The run itself happens once (beforeAll); each `it` checks one promise against what was observed,
 * and the run's numbers are written to docs/reliability.md.
 */
const settings = faultSuiteSettings();
const faults = new FaultLog();
const checks: CheckResult[] = [];
const startedAt = Date.now();
let world: FaultWorld;
let run: ScenarioResult;
let logBytes = 0;

function holds(check: CheckResult): void {
  checks.push(check);
  expect(check.violations).toEqual([]);
  expect(check.checked).toBeGreaterThan(0);
}

function expectations(): Map<string, TenantExpectation> {
  const out = new Map<string, TenantExpectation>();
  for (const [tenantId, load] of run.loads) {
    out.set(tenantId, {
      load,
      outcomes: world.observer.outcomes.flatMap((o) =>
        o.envelope && o.envelope.tenantId === tenantId ? [o.envelope] : [],
      ),
    });
  }
  return out;
}

function secrets(): Secret[] {
  return [
    ...world.tenantList.map((t) => ({ name: `client key of ${t.tenantId}`, value: t.clientKey })),
    { name: 'the operator token', value: world.operatorToken },
  ];
}

beforeAll(async () => {
  world = await FaultWorld.create(settings);
  run = await runScenario(world, settings, faults);
});

afterAll(async () => {
  await world?.close();
  if (!run) return;
  const outcomeIds = world.observer.outcomes.map((o) => o.envelope?.id).filter(Boolean);
  const byRole = (role: string) => world.produced.filter((p) => p.role === role).length;
  const hostileCheck = checks.find((c) => c.id === 'hostile-input-answered');
  const evidence = readLogEvidence(world.logDir);
  const report = renderReport({
    settings,
    date: new Date().toISOString().slice(0, 10),
    durationMs: Date.now() - startedAt,
    infra: {
      broker: world.broker.verdict.restartable
        ? world.broker.description
        : `${world.broker.description} (not restartable: ${world.broker.verdict.reason})`,
      postgres: world.postgres.verdict.restartable
        ? world.postgres.description
        : `${world.postgres.description} (not restartable: ${world.postgres.verdict.reason})`,
    },
    counts: [
      {
        label: 'POS events produced',
        value: `${world.produced.length} (load ${byRole('load')}, valid neighbours of hostile records ${byRole('neighbour')}, hostile and probe ${byRole('hostile')}); ${world.redeliveries} delivered twice (same ce_id); ${run.outOfOrder} entities out of order`,
      },
      {
        label: 'records read back',
        value: `${world.observer.outcomes.length} outcomes (${outcomeIds.length - new Set(outcomeIds).size} republished with the same ce_id), ${world.observer.deadLetters.length} dead letters`,
      },
      {
        label: 'PowerOffice calls',
        value: `${run.emulatorStats.total} (${Object.entries(run.emulatorStats.byStatus)
          .sort()
          .map(([s, n]) => `${n} × ${s}`)
          .join(', ')})`,
      },
      {
        label: 'logs scanned for secrets',
        value: `${Math.round(logBytes / 1024)} KiB in ${world.stack.processes.size} processes' log files`,
      },
      {
        label: "the apps' logs show",
        value:
          `${evidence.settlementsTakenOver} settlements taken over from a crashed poster (looked up before posting), ` +
          `${evidence.consumerCrashes} consumer crashes restarted from the committed offset, ${evidence.abandoned} retry waits abandoned at a rebalance, ` +
          `${evidence.answeredElsewhere} events answered by the other member around a rebalance, ${evidence.processedAgain} events processed again after a failed run`,
      },
    ],
    faults: faults.all(),
    hostile: [
      ...HOSTILE_CLASSES.map((c) => c.name),
      ...new Set(world.produced.filter((p) => p.hostileClass?.startsWith('cross-tenant')).map((p) => p.hostileClass!)),
    ].map((cls) => {
      const p = world.produced.find((x) => x.hostileClass === cls)!;
      return {
        cls,
        sent: world.produced.filter((x) => x.hostileClass === cls).length,
        expected: p.expectation!,
        violations: (hostileCheck?.violations ?? []).filter((v) => v.startsWith(`${cls} (`)),
      };
    }),
    checks,
    phases: run.timings,
    recoveredBy: run.recoveredBy,
  });
  writeFileSync(path.join(ROOT, 'docs/reliability.md'), report + '\n');
});

describe('under faults, the integration keeps its promises', () => {
  it('every input event has exactly one final outcome (per cause id); valid events end in success', () => {
    holds(checkOneFinalOutcome(world.produced, world.observer.outcomes, run.recoveries));
  });

  it('every outcome keeps the contract and answers an event that was sent', () => {
    holds(checkOutcomesWellFormed(world.observer.outcomes, world.produced));
  });

  it('PowerOffice holds exactly one object per POS customer, article, Z-report and invoice', () => {
    holds(checkOneObjectPerEntity(expectations(), run.states));
  });

  it('every voucher balances', () => {
    holds(checkVouchersBalance(run.states));
  });

  it("each day's ledger per tenant equals its Z-reports and invoices, to the øre", () => {
    const implied = new Map<string, Ledger>();
    for (const [tenantId, load] of run.loads) implied.set(tenantId, impliedLedger(load.zReports, load.invoices));
    holds(checkLedger(implied, run.states));
  });

  it("no tenant's data reaches another tenant's PowerOffice client", () => {
    holds(checkTenantIsolation(expectations(), run.states));
  });

  it('after the faults every flow app consumes again by itself (in its group, /health 200)', () => {
    const violations = run.finalHealth.flatMap((h) => [
      ...(h.running ? [] : [`${h.app} is not running`]),
      ...(h.status === 200
        ? []
        : [`${h.app} /health answered ${h.status}: its consumer is not in its group, the flow is stopped`]),
    ]);
    holds({
      id: 'apps-recover',
      title: 'After the faults every flow app consumes again by itself (/health 200)',
      passed: violations.length === 0,
      checked: run.finalHealth.length,
      violations,
    });
  });
});

describe('malformed and hostile input', () => {
  it('each record gets a clear failure outcome and a dead letter, and the valid events around it are processed', () => {
    holds(checkHostileAnswered(world.produced, world.observer.outcomes, world.observer.deadLetters));
  });

  it('nothing crashes: every flow app keeps its process and answers /health', () => {
    const violations = run.hostileHealth.flatMap((h) => [
      ...(h.running ? [] : [`${h.app} is not running`]),
      ...(h.pidBefore === h.pidAfter ? [] : [`${h.app} restarted (pid ${h.pidBefore} → ${h.pidAfter})`]),
      ...(h.status === 200 ? [] : [`${h.app} /health answered ${h.status}`]),
    ]);
    holds({
      id: 'no-crash',
      title: 'Hostile input crashes nothing (same process, /health 200)',
      passed: violations.length === 0,
      checked: run.hostileHealth.length,
      violations,
    });
  });
});

describe('secrets and tenant isolation', () => {
  it("client keys and the operator token never appear in any process's log", () => {
    const scan = scanLogs(world.logDir, secrets());
    logBytes = scan.bytes;
    holds(scan);
  });

  it('client keys never appear in outcomes or dead letters', () => {
    holds(scanRecords(world.observer.records, secrets()));
  });

  it('the console refuses requests without a valid operator token, and its answers hold no secret', async () => {
    const tenant = run.tenants[0]!.tenantId;
    const probes = [
      { method: 'GET', path: '/tenants' },
      { method: 'GET', path: `/tenants/${tenant}` },
      { method: 'GET', path: `/tenants/${tenant}/audit` },
      { method: 'GET', path: `/tenants/${tenant}/mapping` },
      { method: 'GET', path: `/tenants/${tenant}/status` },
      { method: 'GET', path: '/status' },
      ...['customerChanged', 'articleChanged', 'zReportClosed', 'invoicePosted'].map((t) => ({
        method: 'GET',
        path: `/dead-letters?topic=${t}`,
      })),
      { method: 'POST', path: '/dead-letters/redrive', body: { topic: 'invoicePosted' } },
      {
        method: 'POST',
        path: '/tenants',
        body: {
          id: 'intruder',
          name: 'Intruder AS',
          organizationNumber: '999888777',
          clientKey: world.tenantList[0]!.clientKey,
        },
      },
      { method: 'PUT', path: `/tenants/${tenant}/mapping`, body: { preset: 'ns4102' } },
      { method: 'POST', path: `/tenants/${tenant}/disable` },
    ];
    holds(await checkConsoleAccess(world.stack.url('console'), world.operatorToken, probes, secrets()));
  });

  it('the stored client key is ciphertext (tenancy.tenants), and no table holds a key in clear', async () => {
    const keys = new Map(world.tenantList.map((t) => [t.tenantId, t.clientKey]));
    holds(await checkStoredKeys(world.db, keys, [{ name: 'the operator token', value: world.operatorToken }]));
  });

  it("an event naming tenant A never causes a write with tenant B's key", () => {
    const { victim, victimWrites, victimBefore, victimAfter } = run.probe;
    const violations = victimWrites.map(
      (r) => `${r.method} ${r.path} with ${victim.tenantId}'s key (HTTP ${r.status})`,
    );
    for (const part of ['customers', 'products', 'vouchers', 'salesOrders', 'accountTransactions'] as const) {
      if (JSON.stringify(victimBefore[part]) !== JSON.stringify(victimAfter[part]))
        violations.push(`${victim.tenantId}'s ${part} changed while only the attacker's events were processed`);
    }
    holds({
      id: 'cross-tenant-writes',
      title: "An event naming tenant A never causes a write with tenant B's key (request log + state)",
      passed: violations.length === 0,
      checked: run.probe.victimRequests + 5,
      violations,
    });
  });
});

import path from 'node:path';
import { ROOT } from '../../tools/stack';
import { runScript } from '../suite/processes';
import type { Table } from '../suite/report';
import { say, ScenarioResult } from '../suite/scenario';
import { childEnv, SuiteContext } from '../suite/stage';

export interface InvoiceLatencySettings {
  invoices: number;
}

export interface LatencyRow {
  scenario: string;
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
  outcomes: Record<string, number>;
  throttled: number | null;
}

/** The result table and per-scenario lines of bench/invoice-latency.ts. */
export function parseInvoiceLatencyOutput(text: string): { floor: string | null; rows: LatencyRow[] } {
  const rows: LatencyRow[] = [];
  const re = /^(\S+)\s+(\d+)\s+(-?\d+)\s+(-?\d+)\s+(-?\d+)\s+(-?\d+)\s+(-?\d+)\s+(-?\d+)\s+(\{.*\})\s*$/gm;
  for (const m of text.matchAll(re)) {
    let outcomes: Record<string, number> = {};
    try {
      outcomes = JSON.parse(m[9]!) as Record<string, number>;
    } catch {
      // a table row without its outcome counts still has its latencies
    }
    const throttled = new RegExp(`^${m[1]}: .*429s from PowerOffice: (\\d+)`, 'm').exec(text);
    rows.push({
      scenario: m[1]!,
      n: Number(m[2]),
      p50: Number(m[3]),
      p95: Number(m[4]),
      p99: Number(m[5]),
      max: Number(m[6]),
      mean: Number(m[7]),
      outcomes,
      throttled: throttled ? Number(throttled[1]) : null,
    });
  }
  const floor = /^emulator latency .*$/m.exec(text)?.[0] ?? null;
  return { floor, rows };
}

/**
 * bench/invoice-latency.ts (InvoicePosted produced → outcome consumed, idle and with bulk work
 * saturating the API budget; the invoice app as its own process), run as a child process.
 */
export async function invoiceLatency(ctx: SuiteContext, settings: InvoiceLatencySettings): Promise<ScenarioResult> {
  say(`invoice latency: ${settings.invoices} invoices per scenario…`);
  const run = await runScript(path.join(ROOT, 'dist/bench/invoice-latency.js'), [], {
    env: childEnv(ctx, { BENCH_INVOICES: String(settings.invoices) }),
    label: 'invoice-latency',
    // Invoices are offered at 5/s in each of two scenarios, plus set-up.
    timeoutMs: ((settings.invoices / 5) * 2 * 3 + 300) * 1000,
    logFile: path.join(ctx.artifactsDir, 'invoice-latency.log'),
  });
  const { floor, rows } = parseInvoiceLatencyOutput(run.stdout);
  if (rows.length === 0)
    throw new Error(`bench/invoice-latency.ts printed no result table (exit ${run.code}); see its lines above`);
  const saturated = rows.find((r) => r.scenario === 'saturated') ?? rows[rows.length - 1]!;
  const table: Table = {
    title: `InvoicePosted produced → outcome consumed, ms${floor ? ` (${floor})` : ''}`,
    columns: ['scenario', 'invoices', 'p50', 'p95', 'p99', 'max', 'mean', 'outcomes', '429s'],
    rows: rows.map((r) => [
      r.scenario,
      r.n,
      r.p50,
      r.p95,
      r.p99,
      r.max,
      r.mean,
      JSON.stringify(r.outcomes),
      r.throttled,
    ]),
  };
  return {
    settings: { ...settings, offeredPerSecond: 5, emulatorLatencyMs: 80, rateLimit: 10 },
    headline: {
      label: 'invoice latency p50 / p99 with the budget saturated',
      value: `${saturated.p50} / ${saturated.p99} ms`,
    },
    figures: rows.flatMap((r) => [
      { label: `${r.scenario}: p50 / p95 / p99`, value: `${r.p50} / ${r.p95} / ${r.p99}`, unit: 'ms' },
      { label: `${r.scenario}: max`, value: r.max, unit: 'ms' },
    ]),
    tables: [table],
    checks: [
      { what: 'bench/invoice-latency.ts ended successfully', ok: run.code === 0, detail: `exit ${run.code}` },
      ...rows.map((r) => ({
        what: `${r.scenario}: every invoice transferred`,
        ok: (r.outcomes.InvoiceTransferred ?? 0) === r.n,
        detail: JSON.stringify(r.outcomes),
      })),
      ...rows.map((r) => ({
        what: `${r.scenario}: no 429 from PowerOffice`,
        ok: r.throttled === 0,
        detail: `${r.throttled}`,
      })),
    ],
    data: { floor, rows, exitCode: run.code },
  };
}

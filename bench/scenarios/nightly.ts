import path from 'node:path';
import { ROOT } from '../../tools/stack';
import { runScript } from '../suite/processes';
import { say, ScenarioResult } from '../suite/scenario';
import { childEnv, SuiteContext } from '../suite/stage';

export interface NightlySettings {
  tenants: number;
  rateLimit: number;
  concurrency: number;
}

/** What bench/nightly-settlement.ts prints, as numbers. */
export interface NightlyFigures {
  onboardSeconds: number | null;
  intakeSeconds: number | null;
  posted: number | null;
  failed: number | null;
  retrying: number | null;
  vouchers: number | null;
  tenantsWithOneVoucher: number | null;
  requests: number | null;
  rateLimited: number | null;
  busiestSecond: number | null;
  seconds: number | null;
  floorSeconds: number | null;
  overFloor: number | null;
  perSecond: number | null;
  /** The budget's headroom (%) and the best time ÷ floor it allows, as the script states them. */
  headroomPercent: number | null;
  bestOverFloor: number | null;
}

const num = (text: string, re: RegExp): number | null => {
  const m = re.exec(text);
  return m ? Number(m[1]) : null;
};

export function parseNightlyOutput(text: string): NightlyFigures {
  return {
    onboardSeconds: num(text, /tenants onboarded in ([\d.]+) s/),
    intakeSeconds: num(text, /scheduled for 02:00 in ([\d.]+) s/),
    posted: num(text, /^\s+posted\s+(\d+)/m),
    failed: num(text, /\(failed (\d+),/),
    retrying: num(text, /retrying (\d+)\)/),
    vouchers: num(text, /vouchers in PowerOffice (\d+)/),
    tenantsWithOneVoucher: num(text, /tenants with exactly one (\d+)/),
    requests: num(text, /API requests\s+(\d+)/),
    rateLimited: num(text, /429 answers (\d+)/),
    busiestSecond: num(text, /busiest second\s+(\d+) requests/),
    seconds: num(text, /time to post all\s+([\d.]+) s/),
    floorSeconds: num(text, /floor \(requests ÷ rate\)\s+([\d.]+) s/),
    overFloor: num(text, /time \/ floor\s+([\d.]+)/),
    perSecond: num(text, /throughput\s+([\d.]+) settlements\/s/),
    headroomPercent: num(text, /leaves ([\d.]+) % headroom/),
    bestOverFloor: num(text, /headroom, so ≈ ([\d.]+)/),
  };
}

/**
 * bench/nightly-settlement.ts (N tenants' Z-reports, all due at 02:00, posted by one settlement
 * instance's job at the API budget), run as a child process; its printout becomes figures.
 */
export async function nightly(ctx: SuiteContext, settings: NightlySettings): Promise<ScenarioResult> {
  say(`nightly settlement: ${settings.tenants} tenants at ${settings.rateLimit} requests/s…`);
  // Set-up onboards ~8 tenants/s; the night itself is bounded by the budget (2 calls per tenant).
  const expectedSeconds = settings.tenants / 4 + (settings.tenants * 2) / settings.rateLimit;
  const run = await runScript(
    path.join(ROOT, 'dist/bench/nightly-settlement.js'),
    [
      '--tenants',
      String(settings.tenants),
      '--rate',
      String(settings.rateLimit),
      '--concurrency',
      String(settings.concurrency),
    ],
    {
      env: childEnv(ctx, {}),
      label: 'nightly-settlement',
      timeoutMs: (expectedSeconds * 3 + 300) * 1000,
      logFile: path.join(ctx.artifactsDir, 'nightly-settlement.log'),
    },
  );
  const f = parseNightlyOutput(run.stdout);
  if (f.seconds === null)
    throw new Error(`bench/nightly-settlement.ts printed no result (exit ${run.code}); see its lines above`);
  return {
    settings: { ...settings, scheduledAt: '02:00 (all tenants)', emulatorRateLimit: settings.rateLimit },
    headline: {
      label: `time to post ${settings.tenants} tenants (÷ floor)`,
      value: `${f.seconds} s (${f.overFloor})`,
    },
    figures: [
      {
        label: 'time to post all',
        value: f.seconds,
        unit: 's',
        note: 'from the job starting to the last voucher posted',
      },
      { label: 'floor (API requests ÷ rate)', value: f.floorSeconds, unit: 's', note: 'no client can post faster' },
      {
        label: 'time ÷ floor',
        value: f.overFloor,
        note: `the budget keeps ${f.headroomPercent ?? '?'} % headroom, so ≈ ${f.bestOverFloor ?? '?'} is the best possible`,
      },
      { label: 'settlements posted per second', value: f.perSecond },
      { label: 'API requests', value: f.requests, note: 'token + voucher per tenant' },
      { label: 'busiest second', value: f.busiestSecond, unit: 'requests' },
      { label: '429 answers', value: f.rateLimited },
      {
        label: 'set-up: onboarding / Z-report intake',
        value: `${f.onboardSeconds} s / ${f.intakeSeconds} s`,
        note: 'not part of the night',
      },
    ],
    tables: [],
    checks: [
      { what: 'bench/nightly-settlement.ts ended successfully', ok: run.code === 0, detail: `exit ${run.code}` },
      {
        what: 'every tenant posted',
        ok: f.posted === settings.tenants,
        detail: `${f.posted} of ${settings.tenants} (failed ${f.failed}, retrying ${f.retrying})`,
      },
      {
        what: 'exactly one voucher per tenant in PowerOffice',
        ok: f.tenantsWithOneVoucher === settings.tenants && f.vouchers === settings.tenants,
        detail: `${f.vouchers} vouchers; ${f.tenantsWithOneVoucher} tenants with exactly one`,
      },
      { what: 'no 429 from PowerOffice', ok: f.rateLimited === 0, detail: `${f.rateLimited}` },
    ],
    data: { ...f, exitCode: run.code },
  };
}

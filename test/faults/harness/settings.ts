/**
 * The fault suite's knobs, read from env with CI-sized defaults (the whole tier must finish within
 * 8 minutes on a 2-core machine). Bigger runs: FAULTS_SCALE=4 FAULTS_OUTAGE_MS=300000 npm run test:faults.
 */
export type InfraMode = 'shared' | 'own' | 'none';

export interface FaultSuiteSettings {
  /** Multiplies the entities per tenant (customers, articles, Z-reports, invoices). */
  scale: number;
  /** Tenants that carry the mixed load (two more are onboarded for the cross-tenant probe). */
  tenants: number;
  /** How long PowerOffice is down in the outage phase. */
  outageMs: number;
  /**
   * Which broker and PostgreSQL the suite may restart:
   *  - shared (default, CI): the run's own, from the global setup, when the project's tooling
   *    started them (infra/kafka/kafka.sh, the local pg_ctlcluster); otherwise not injected;
   *  - own: a broker and a PostgreSQL of the suite's own on free ports (machines shared with others);
   *  - none: no infrastructure restarts (recorded as not injected).
   */
  infra: InfraMode;
  /** Seed of every random choice (kill moments, victims, amounts, delivery order). */
  seed: number;
  /** kill -9 rounds per flow app. */
  killsPerApp: number;
  /** Requests/s of the integration's shared PowerOffice budget, and the emulator's own limit above it. */
  clientRateLimit: number;
  emulatorRateLimit: number;
}

function positiveNumber(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, got "${raw}"`);
  return n;
}

export function faultSuiteSettings(env: NodeJS.ProcessEnv = process.env): FaultSuiteSettings {
  const infra = (env.FAULTS_INFRA ?? 'shared').trim() as InfraMode;
  if (!['shared', 'own', 'none'].includes(infra))
    throw new Error(`FAULTS_INFRA must be shared, own or none, got "${infra}"`);
  const scale = positiveNumber(env, 'FAULTS_SCALE', 1);
  return {
    scale,
    tenants: Math.round(positiveNumber(env, 'FAULTS_TENANTS', 8)),
    outageMs: positiveNumber(env, 'FAULTS_OUTAGE_MS', 60_000),
    infra,
    seed: Math.round(positiveNumber(env, 'FAULTS_SEED', 4102)),
    killsPerApp: Math.round(positiveNumber(env, 'FAULTS_KILLS', 2)),
    clientRateLimit: positiveNumber(env, 'FAULTS_RATE_LIMIT', 25),
    emulatorRateLimit: positiveNumber(env, 'FAULTS_EMULATOR_RATE_LIMIT', 30),
  };
}

/** A small seeded PRNG (mulberry32): the same seed gives the same run plan. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  chance(p: number): boolean {
    return this.next() < p;
  }
}

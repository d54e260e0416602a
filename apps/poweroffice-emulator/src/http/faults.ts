import { SlidingWindowLimiter } from './rate-limiter';

/** What POST /_emulator/faults accepts. */
export interface FaultSettings {
  /** Extra delay before each answer. */
  latencyMs?: number;
  /** Share of calls (0..1) answered with `errorStatus` instead of being processed. */
  errorRate?: number;
  /** Status for injected errors (default 500). */
  errorStatus?: number;
  /** An outage from now for this many ms: every API call answers 503. */
  outageMs?: number;
  /** Requests per second; global = replaces the subscription limit, scoped = an extra per-client limit. 0 = unlimited. */
  rateLimit?: number;
  /** Read-replica lag for change-filtered lists (ms). */
  listLagMs?: number;
  /** Limit the faults to one client (its client key); absent = every call. */
  clientKey?: string;
}

export interface FaultView {
  scope: 'all' | 'client';
  latencyMs: number;
  errorRate: number;
  errorStatus: number;
  outageUntil: string | null;
  rateLimit: number | null;
  listLagMs: number | null;
}

class FaultState {
  latencyMs = 0;
  errorRate = 0;
  errorStatus = 500;
  outageUntilMs = 0;
  rateLimit: number | null = null;
  listLagMs: number | null = null;
  limiter: SlidingWindowLimiter | null = null;
  private calls = 0;

  apply(s: FaultSettings, nowMs: number): void {
    if (s.latencyMs !== undefined) this.latencyMs = Math.max(0, s.latencyMs);
    if (s.errorRate !== undefined) this.errorRate = Math.min(1, Math.max(0, s.errorRate));
    if (s.errorStatus !== undefined) this.errorStatus = s.errorStatus;
    if (s.outageMs !== undefined) this.outageUntilMs = nowMs + Math.max(0, s.outageMs);
    if (s.listLagMs !== undefined) this.listLagMs = Math.max(0, s.listLagMs);
    if (s.rateLimit !== undefined) {
      this.rateLimit = Math.max(0, s.rateLimit);
      this.limiter = this.rateLimit > 0 ? new SlidingWindowLimiter(this.rateLimit) : null;
    }
  }

  /**
   * Deterministic error injection: with rate r, exactly ⌊n·r⌋ of the first n calls fail, spread
   * evenly — reproducible runs without a random seed.
   */
  injectError(): boolean {
    if (this.errorRate <= 0) return false;
    this.calls++;
    return Math.floor(this.calls * this.errorRate) > Math.floor((this.calls - 1) * this.errorRate);
  }

  view(scope: 'all' | 'client', nowMs: number): FaultView {
    return {
      scope,
      latencyMs: this.latencyMs,
      errorRate: this.errorRate,
      errorStatus: this.errorStatus,
      outageUntil: this.outageUntilMs > nowMs ? new Date(this.outageUntilMs).toISOString() : null,
      rateLimit: this.rateLimit,
      listLagMs: this.listLagMs,
    };
  }
}

/** The decision for one call. */
export interface FaultDecision {
  outage: boolean;
  latencyMs: number;
  errorStatus: number | null;
  limiters: SlidingWindowLimiter[];
}

/** Injected faults, global or scoped to one client key. */
export class Faults {
  private global = new FaultState();
  private readonly scoped = new Map<string, FaultState>();

  set(settings: FaultSettings, nowMs: number): FaultView {
    const scope = settings.clientKey?.toLowerCase();
    let state = this.global;
    if (scope) {
      state = this.scoped.get(scope) ?? new FaultState();
      this.scoped.set(scope, state);
    }
    state.apply(settings, nowMs);
    return state.view(scope ? 'client' : 'all', nowMs);
  }

  clear(): void {
    this.global = new FaultState();
    this.scoped.clear();
  }

  /** The subscription-key limiter: the global override when one is set (null = unlimited), else `base`. */
  subscriptionLimiter(base: SlidingWindowLimiter | null): SlidingWindowLimiter | null {
    return this.global.rateLimit === null ? base : this.global.limiter;
  }

  listLagMs(clientKey: string | null): number | null {
    const scoped = clientKey ? this.scoped.get(clientKey.toLowerCase()) : undefined;
    return scoped?.listLagMs ?? this.global.listLagMs;
  }

  decide(clientKey: string | null, nowMs: number): FaultDecision {
    const states = [this.global];
    const scoped = clientKey ? this.scoped.get(clientKey.toLowerCase()) : undefined;
    if (scoped) states.push(scoped);
    const decision: FaultDecision = { outage: false, latencyMs: 0, errorStatus: null, limiters: [] };
    for (const s of states) {
      if (s.outageUntilMs > nowMs) decision.outage = true;
      decision.latencyMs = Math.max(decision.latencyMs, s.latencyMs);
      if (decision.errorStatus === null && s.injectError()) decision.errorStatus = s.errorStatus;
      if (s !== this.global && s.limiter) decision.limiters.push(s.limiter);
    }
    return decision;
  }

  views(nowMs: number): FaultView[] {
    const out = [this.global.view('all', nowMs)];
    for (const s of this.scoped.values()) out.push(s.view('client', nowMs));
    return out;
  }
}

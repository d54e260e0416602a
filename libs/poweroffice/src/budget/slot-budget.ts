import { Clock, systemClock } from '../clock';
import { Lane } from '../lanes';
import { ApiBudget, BudgetGrant } from './api-budget';
import { laneHorizonMs } from './lane-policy';

/** The outcome of trying to reserve the next free slot. */
export type SlotClaim =
  | { granted: true; /** the reserved slot starts this far from now (≤ 0: at once) */ startsInMs: number }
  | { granted: false; /** the next free slot starts this far from now */ freeInMs: number };

/**
 * Where the reservation timeline lives: one `next free slot` instant, advanced atomically by each
 * reservation. In memory for one process, or a PostgreSQL row shared by all processes.
 */
export interface SlotLedger {
  claim(intervalMs: number, horizonMs: number | null): Promise<SlotClaim>;
}

export interface SlotBudgetOptions {
  /** Requests per second the subscription key allows; 0 = unlimited. */
  rateLimit: number;
  /**
   * Fraction of the rate left unused (default 0.05). Slots are exact at the source, but requests
   * reach PowerOffice with network and timer jitter; a little headroom keeps a sliding-window
   * limiter from ever counting one request too many.
   */
  headroom?: number;
  clock?: Clock;
}

export const DEFAULT_HEADROOM = 0.08;

/**
 * Paces requests by slot reservation with priority lanes (see lane-policy.ts). Within a process,
 * each lane's callers queue in order and only the head of each lane talks to the ledger, so a
 * hundred waiting article updates cost one ledger query per slot, not a hundred.
 */
export class SlotBudget implements ApiBudget {
  readonly intervalMs: number;
  private readonly clock: Clock;
  private readonly laneTails = new Map<Lane, Promise<unknown>>();

  constructor(
    private readonly ledger: SlotLedger,
    options: SlotBudgetOptions,
  ) {
    const headroom = options.headroom ?? DEFAULT_HEADROOM;
    if (!(options.rateLimit >= 0)) throw new RangeError(`rateLimit must be ≥ 0, got ${options.rateLimit}`);
    if (!(headroom >= 0 && headroom < 1)) throw new RangeError(`headroom must be in [0, 1), got ${headroom}`);
    this.intervalMs = options.rateLimit === 0 ? 0 : 1000 / (options.rateLimit * (1 - headroom));
    this.clock = options.clock ?? systemClock;
  }

  async acquire(lane: Lane, signal?: AbortSignal): Promise<BudgetGrant> {
    if (this.intervalMs === 0) return { waitedMs: 0 };
    const started = this.clock.now();
    const reservation = this.enqueue(lane, () => this.reserve(lane, signal));
    const startsInMs = signal ? await untilAborted(reservation, signal) : await reservation;
    if (startsInMs > 0) await this.clock.sleep(startsInMs, signal);
    return { waitedMs: Math.max(0, this.clock.now() - started) };
  }

  /** Runs `task` after every earlier task of the same lane in this process has settled. */
  private enqueue<T>(lane: Lane, task: () => Promise<T>): Promise<T> {
    const previous = this.laneTails.get(lane) ?? Promise.resolve();
    const next = previous.then(task, task);
    const tail = next.catch(() => undefined);
    this.laneTails.set(lane, tail);
    // Forget a drained lane so the map does not hold a settled chain forever.
    void tail.then(() => {
      if (this.laneTails.get(lane) === tail) this.laneTails.delete(lane);
    });
    return next;
  }

  private async reserve(lane: Lane, signal?: AbortSignal): Promise<number> {
    const since = this.clock.now();
    for (;;) {
      signal?.throwIfAborted();
      const horizon = laneHorizonMs(lane, this.intervalMs, this.clock.now() - since);
      const claim = await this.ledger.claim(this.intervalMs, horizon);
      if (claim.granted) return claim.startsInMs;
      // Wake when the free slot comes within this lane's horizon; a higher lane may take it first,
      // then we simply look again.
      await this.clock.sleep(Math.max(1, claim.freeInMs - (horizon ?? 0)), signal);
    }
  }
}

/** Stops waiting for `promise` when `signal` aborts (the queued reservation then skips itself). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

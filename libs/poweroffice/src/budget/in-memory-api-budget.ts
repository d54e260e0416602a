import { Clock, systemClock } from '../clock';
import { SlotBudget, SlotBudgetOptions, SlotClaim, SlotLedger } from './slot-budget';

class MemorySlotLedger implements SlotLedger {
  private nextSlot = Number.NEGATIVE_INFINITY;

  constructor(private readonly clock: Clock) {}

  async claim(intervalMs: number, horizonMs: number | null): Promise<SlotClaim> {
    const now = this.clock.now();
    if (horizonMs !== null && this.nextSlot > now + horizonMs) return { granted: false, freeInMs: this.nextSlot - now };
    const start = Math.max(now, this.nextSlot);
    this.nextSlot = start + intervalMs;
    return { granted: true, startsInMs: start - now };
  }
}

/** The API budget for one process (unit tests, single-process tools). Same lanes and pacing as PgApiBudget. */
export class InMemoryApiBudget extends SlotBudget {
  constructor(options: SlotBudgetOptions) {
    super(new MemorySlotLedger(options.clock ?? systemClock), options);
  }
}

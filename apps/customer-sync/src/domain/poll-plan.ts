import { isOurReference } from './customer-reference';
import { formatInstant, requireInstant, sameInstant, Ticks } from './instant';

/**
 * One round of the PowerOffice → Open One poll, decided without I/O: which changed customers to
 * publish, and the next watermark.
 *
 * PowerOffice's `lastChangedDateTimeOffsetGreaterThan` is exclusive and its lists read from a
 * replica that lags 1–2 s, so a change committed just before the newest one seen may become
 * visible only later. Each round therefore asks from `watermark − overlap` and remembers the
 * (customer, LastChanged) pairs inside that window: re-read pairs are skipped, late ones published.
 */

export interface PolledCustomer {
  id: number;
  lastChangedDateTimeOffset?: string;
  externalImportReference?: string | null;
}

/** What the mapping table says about a PowerOffice customer the POS knows. */
export interface MappedCustomer {
  customerId: string;
  poLastChanged: string | null;
  poEditedAt: string | null;
}

export interface PollState {
  /** Newest LastChangedDateTimeOffset seen (canonical UTC text); null before the first round. */
  watermark: string | null;
  /** `<id>@<ticks>` of the changes seen inside the overlap window before the watermark. */
  recent: string[];
}

export type Verdict =
  /** A PowerOffice-side change: tell Open One. */
  | 'publish'
  /** Our own write (LastChanged equals what we recorded after it): not echoed. */
  | 'own-write'
  /** Created by this integration from a POS customer whose mapping is not recorded yet: the POS has it. */
  | 'own-create'
  /** Published in an earlier round (seen again through the overlap, or recorded on the mapping). */
  | 'already-published';

export interface PlannedChange<C> {
  customer: C;
  verdict: Verdict;
  /** The POS customer id, when the customer is mapped. */
  posCustomerId?: string;
}

export interface PollPlan<C> {
  /** Every customer of the round, oldest change first. */
  changes: PlannedChange<C>[];
  next: PollState;
}

export function changeKey(id: number, ticks: Ticks): string {
  return `${id}@${ticks}`;
}

function ticksOfKey(key: string): Ticks | null {
  const at = key.indexOf('@');
  try {
    return at > 0 ? BigInt(key.slice(at + 1)) : null;
  } catch {
    return null;
  }
}

/** The `lastChangedDateTimeOffsetGreaterThan` of a round: the watermark (or the start) minus the overlap. */
export function pollSince(state: PollState, start: Ticks, overlapTicks: Ticks): string {
  const from = state.watermark === null ? start : requireInstant(state.watermark, 'the stored watermark');
  const since = from - overlapTicks;
  return formatInstant(since > 0n ? since : 0n);
}

export function planPoll<C extends PolledCustomer>(input: {
  customers: readonly C[];
  mapped: ReadonlyMap<number, MappedCustomer>;
  state: PollState;
  overlapTicks: Ticks;
}): PollPlan<C> {
  const recent = new Set(input.state.recent);
  let watermark = input.state.watermark === null ? null : requireInstant(input.state.watermark, 'the stored watermark');

  const dated = input.customers
    .filter((c): c is C & { lastChangedDateTimeOffset: string } => typeof c.lastChangedDateTimeOffset === 'string')
    .map((c) => ({
      customer: c,
      ticks: requireInstant(c.lastChangedDateTimeOffset, `LastChangedDateTimeOffset of customer ${c.id}`),
    }))
    .sort((a, b) => (a.ticks < b.ticks ? -1 : a.ticks > b.ticks ? 1 : a.customer.id - b.customer.id));

  const changes: PlannedChange<C>[] = [];
  for (const { customer, ticks } of dated) {
    const key = changeKey(customer.id, ticks);
    const mapping = input.mapped.get(customer.id);
    const changedAt = customer.lastChangedDateTimeOffset;
    let verdict: Verdict;
    if (recent.has(key) || (mapping && sameInstant(mapping.poEditedAt, changedAt))) verdict = 'already-published';
    else if (mapping && sameInstant(mapping.poLastChanged, changedAt)) verdict = 'own-write';
    else if (!mapping && isOurReference(customer.externalImportReference)) verdict = 'own-create';
    else verdict = 'publish';
    changes.push({ customer, verdict, ...(mapping ? { posCustomerId: mapping.customerId } : {}) });
    recent.add(key);
    if (watermark === null || ticks > watermark) watermark = ticks;
  }

  // Pairs older than the next round's window cannot be read again: forget them.
  const horizon = watermark === null ? null : watermark - input.overlapTicks;
  const kept = [...recent].filter((key) => {
    const t = ticksOfKey(key);
    return t !== null && horizon !== null && t > horizon;
  });
  return { changes, next: { watermark: watermark === null ? null : formatInstant(watermark), recent: kept.sort() } };
}

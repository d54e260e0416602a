import type { SyncAction } from '@lib/contracts';
import type { Customer, PatchOperation } from '@lib/poweroffice';
import { CustomerContent, patchFromKnownContent, patchFromPowerOffice } from './customer-content';
import { parseInstant, sameInstant } from './instant';

/** What earlier syncs left us knowing about a customer that is already in PowerOffice. */
export interface KnownCustomer {
  lastVersion: number | null;
  contentHash: string | null;
  /** The customer as PowerOffice holds it, as far as we know. */
  content: CustomerContent | null;
  /** LastChangedDateTimeOffset of PowerOffice's version that matches `content` because we wrote (or linked) it. */
  poLastChanged: string | null;
  /** LastChangedDateTimeOffset of the latest PowerOffice-side edit the poll saw (and published). */
  poEditedAt: string | null;
}

export type UnchangedReason =
  /** The POS sent what PowerOffice already holds (same content hash). */
  | 'same-content'
  /** Different hash, but no field PowerOffice holds would change (e.g. the number PowerOffice assigned). */
  | 'nothing-differs'
  /** PowerOffice was edited after the POS change: that edit wins and has gone (or goes) to the POS. */
  | 'poweroffice-newer';

export type SyncDecision =
  { kind: 'unchanged'; reason: UnchangedReason } | { kind: 'patch'; operations: PatchOperation[]; action: SyncAction };

/** An event older than the last one applied changes nothing (Kafka keeps order per key; redrives do not). */
export function isOlderVersion(lastVersion: number | null | undefined, version: number): boolean {
  return lastVersion != null && version < lastVersion;
}

/**
 * Last writer wins, by time: a PowerOffice-side edit made after the POS change beats it. Equal
 * times go to the POS. Times from two clocks, so "after" is as good as those clocks agree.
 */
export function powerOfficeEditWins(powerOfficeEditAt: string | null | undefined, posChangedAt: string): boolean {
  if (!powerOfficeEditAt) return false;
  const edit = parseInstant(powerOfficeEditAt);
  const change = parseInstant(posChangedAt);
  return edit !== null && change !== null && edit > change;
}

export function patchAction(wasActive: boolean, willBeActive: boolean): SyncAction {
  return wasActive && !willBeActive ? 'archived' : 'updated';
}

export function createAction(content: CustomerContent): SyncAction {
  return content.active ? 'created' : 'archived';
}

/**
 * Live: decided from what we know, without asking PowerOffice, so an unchanged customer costs no
 * call and a changed one exactly one PATCH with only the fields the POS changed.
 */
export function decideFromKnown(
  known: KnownCustomer & { content: CustomerContent },
  desired: CustomerContent,
  desiredHash: string,
  posChangedAt: string,
): SyncDecision {
  if (known.contentHash === desiredHash) return { kind: 'unchanged', reason: 'same-content' };
  if (powerOfficeEditWins(known.poEditedAt, posChangedAt)) return { kind: 'unchanged', reason: 'poweroffice-newer' };
  const operations = patchFromKnownContent(known.content, desired);
  if (operations.length === 0) return { kind: 'unchanged', reason: 'nothing-differs' };
  return { kind: 'patch', operations, action: patchAction(known.content.active, desired.active) };
}

/**
 * Against PowerOffice's current customer (replay, dry-run, linking, crash recovery, or when we know
 * too little): only what really differs is patched. With `lastWriterWins`, a PowerOffice edit that
 * is not ours (its LastChanged is not the one we recorded) and is newer than the POS change wins.
 */
export function decideFromPowerOffice(
  current: Customer,
  desired: CustomerContent,
  options: { posChangedAt: string; ourLastChanged: string | null; lastWriterWins: boolean },
): SyncDecision {
  const changed = current.lastChangedDateTimeOffset;
  const foreignEdit = changed && !sameInstant(changed, options.ourLastChanged) ? changed : null;
  if (options.lastWriterWins && powerOfficeEditWins(foreignEdit, options.posChangedAt)) {
    return { kind: 'unchanged', reason: 'poweroffice-newer' };
  }
  const operations = patchFromPowerOffice(current, desired);
  if (operations.length === 0) return { kind: 'unchanged', reason: 'nothing-differs' };
  return { kind: 'patch', operations, action: patchAction(current.isArchived !== true, desired.active) };
}

/** True when PowerOffice's customer holds exactly `desired` in every field we manage. */
export function holdsContent(current: Customer, desired: CustomerContent): boolean {
  return patchFromPowerOffice(current, desired).length === 0;
}

import { Lane } from '../lanes';

/** What acquiring a request slot cost the caller. */
export interface BudgetGrant {
  /** Time spent waiting for the slot (queueing and pacing). */
  waitedMs: number;
}

/**
 * The shared PowerOffice API budget: every HTTP request (token requests included) acquires one
 * slot first. One budget per subscription key, shared by every tenant, app and process.
 */
export interface ApiBudget {
  acquire(lane: Lane, signal?: AbortSignal): Promise<BudgetGrant>;
}

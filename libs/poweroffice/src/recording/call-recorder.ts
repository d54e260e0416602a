import { Lane } from '../lanes';

/**
 * One HTTP request to PowerOffice, as the operator sees it. Never holds a secret: the path has no
 * query string, and no header or body is kept.
 */
export interface ApiCallRecord {
  at: Date;
  tenantId: string;
  lane: Lane;
  method: string;
  /** `/Customers/{id}`, `/OAuth/Token`: groups calls of one kind. */
  pathTemplate: string;
  /** `/Customers/1234`: the concrete path, without query string. */
  path: string;
  /** HTTP status; null when no answer came (timeout, network error). */
  status: number | null;
  durationMs: number;
  /** Time spent waiting for the shared API budget before sending. */
  budgetWaitMs: number;
  /** 1 for the first try; 2 for the retry after a token renewal or a short 429. */
  attempt: number;
  /** PowerOffice's own error words, or ours for no answer ("Timeout", "Network error"). */
  errorTitle?: string;
  errorDetail?: string;
}

/** Receives every call. `record` must not block or throw: it sits on the call path. */
export interface CallRecorder {
  record(call: ApiCallRecord): void;
}

/**
 * How long one delivery of an event may keep trying before it ends in RETRIES_EXHAUSTED. While it
 * waits, only its own partition waits: the other partitions of the consumer keep flowing.
 */
export interface RetryPolicy {
  /** Handler attempts for transient failures (429, 5xx, timeouts), the first try included. */
  maxAttempts: number;
  /** No new attempt is started once the next one would begin later than this after the first. */
  maxElapsedMs: number;
  /** Delay before the second attempt; doubles with every further attempt. */
  initialDelayMs: number;
  /** Ceiling of the exponential delay (a Retry-After from PowerOffice may exceed it). */
  maxDelayMs: number;
  /**
   * Attempts for errors that are not IntegrationErrors: a bug in a handler rarely passes on its own,
   * but a passing glitch (a dropped connection inside a library) sometimes does, so a few tries.
   */
  unexpectedErrorMaxAttempts: number;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  maxAttempts: 6,
  maxElapsedMs: 120_000,
  initialDelayMs: 500,
  maxDelayMs: 30_000,
  unexpectedErrorMaxAttempts: 3,
});

/**
 * The wait before attempt `nextAttempt` (2 = the first retry). Exponential with "equal jitter"
 * (half fixed, half random) so that many partitions failing on the same outage do not retry in
 * lock-step; never earlier than the server's Retry-After, and a Retry-After gets a little jitter
 * of its own because every tenant behind the same rate limit receives the same value.
 */
export function retryDelayMs(
  nextAttempt: number,
  policy: Pick<RetryPolicy, 'initialDelayMs' | 'maxDelayMs'>,
  retryAfterMs?: number,
  random: () => number = Math.random,
): number {
  const exponent = Math.max(0, nextAttempt - 2);
  const base = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** exponent);
  const jittered = base / 2 + (base / 2) * random();
  if (retryAfterMs !== undefined && retryAfterMs > 0) {
    return Math.round(Math.max(jittered, retryAfterMs + retryAfterMs * 0.1 * random()));
  }
  return Math.round(jittered);
}

/**
 * Whether another attempt may start: within the attempt budget of this kind of failure, and
 * starting (after `delayMs`) before the elapsed-time budget runs out.
 */
export function mayRetry(
  attemptsSoFar: number,
  elapsedMs: number,
  delayMs: number,
  unexpected: boolean,
  policy: RetryPolicy,
): boolean {
  const maxAttempts = unexpected ? Math.min(policy.unexpectedErrorMaxAttempts, policy.maxAttempts) : policy.maxAttempts;
  return attemptsSoFar < maxAttempts && elapsedMs + delayMs <= policy.maxElapsedMs;
}

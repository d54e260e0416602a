/** Longest stretch without a heartbeat while waiting (kafkajs sends one at most every heartbeatInterval anyway). */
const HEARTBEAT_EVERY_MS = 1000;

/**
 * Waits `ms` while keeping the consumer's group membership alive, so a long backoff (a Retry-After
 * of a minute) does not get the member thrown out of the group. Resolves false when `signal` aborts
 * the wait; rejects when a heartbeat does (the group is rebalancing: the partition may be gone).
 */
export async function pause(
  ms: number,
  hooks: { heartbeat: () => Promise<void>; signal: AbortSignal },
): Promise<boolean> {
  const until = Date.now() + ms;
  for (;;) {
    if (hooks.signal.aborted) return false;
    const left = until - Date.now();
    if (left <= 0) return true;
    await sleep(Math.min(left, HEARTBEAT_EVERY_MS), hooks.signal);
    if (hooks.signal.aborted) return false;
    await hooks.heartbeat();
  }
}

/** Resolves after `ms`, or as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

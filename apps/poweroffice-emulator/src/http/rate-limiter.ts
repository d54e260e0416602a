/**
 * APIM's rate limit: at most `limit` calls in any sliding 1-second window. Only admitted calls are
 * counted, so a client pacing itself at exactly the limit (one call per 1/limit s) is never refused,
 * while a burst above it is. The window forgives a few ms (`jitterMs`) because a client's send times
 * and our arrival times never line up exactly: a pacer whose 11th call lands 990 ms after its 1st
 * (a GC pause, a late timer) is pacing correctly, while a burst is refused whatever the allowance.
 */
export class SlidingWindowLimiter {
  private readonly admitted: Float64Array;
  private next = 0;
  private count = 0;

  constructor(
    readonly limit: number,
    private readonly windowMs = 1000,
    private readonly jitterMs = 50,
  ) {
    this.admitted = new Float64Array(Math.max(1, limit));
  }

  /** Admits a call at `nowMs`, or says how many whole seconds to wait (Retry-After). */
  tryAcquire(nowMs: number): { admitted: true } | { admitted: false; retryAfterSeconds: number } {
    if (this.limit <= 0) return { admitted: true };
    if (this.count === this.limit) {
      // The ring is full; the slot to overwrite holds the oldest admitted call.
      const oldest = this.admitted[this.next]!;
      const freeAt = oldest + this.windowMs - this.jitterMs;
      if (nowMs < freeAt)
        return { admitted: false, retryAfterSeconds: Math.max(1, Math.ceil((freeAt - nowMs) / 1000)) };
    } else {
      this.count++;
    }
    this.admitted[this.next] = nowMs;
    this.next = (this.next + 1) % this.limit;
    return { admitted: true };
  }
}

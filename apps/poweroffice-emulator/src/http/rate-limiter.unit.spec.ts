import { SlidingWindowLimiter } from './rate-limiter';

describe('SlidingWindowLimiter (10 requests per sliding second)', () => {
  it('refuses a burst above the limit and says when to retry', () => {
    const limiter = new SlidingWindowLimiter(10, 1000, 0);
    const verdicts = Array.from({ length: 30 }, (_, i) => limiter.tryAcquire(1000 + i));
    expect(verdicts.filter((v) => v.admitted)).toHaveLength(10);
    expect(verdicts[10]).toEqual({ admitted: false, retryAfterSeconds: 1 });
  });

  it('never refuses a client that paces itself at exactly the limit', () => {
    const limiter = new SlidingWindowLimiter(10, 1000, 0);
    for (let i = 0; i < 100; i++) expect(limiter.tryAcquire(i * 100).admitted).toBe(true);
  });

  it('counts the window sliding, not per calendar second', () => {
    const limiter = new SlidingWindowLimiter(2, 1000, 0);
    expect(limiter.tryAcquire(900).admitted).toBe(true);
    expect(limiter.tryAcquire(950).admitted).toBe(true);
    // A fixed window would reset at 1000; the sliding one still holds both calls.
    expect(limiter.tryAcquire(1100).admitted).toBe(false);
    expect(limiter.tryAcquire(1900).admitted).toBe(true);
  });

  it('forgives a little jitter so a correct pacer is not punished for network noise', () => {
    const limiter = new SlidingWindowLimiter(1, 1000, 20);
    expect(limiter.tryAcquire(0).admitted).toBe(true);
    expect(limiter.tryAcquire(990).admitted).toBe(true);
    expect(limiter.tryAcquire(1500).admitted).toBe(false);
  });

  it('is unlimited at 0', () => {
    const limiter = new SlidingWindowLimiter(0);
    for (let i = 0; i < 1000; i++) expect(limiter.tryAcquire(0).admitted).toBe(true);
  });
});

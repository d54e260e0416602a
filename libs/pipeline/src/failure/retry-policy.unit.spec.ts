import { DEFAULT_RETRY_POLICY, mayRetry, retryDelayMs } from './retry-policy';

const policy = { ...DEFAULT_RETRY_POLICY, initialDelayMs: 100, maxDelayMs: 1000 };

describe('retryDelayMs', () => {
  it('doubles from the initial delay, between half and all of it (equal jitter)', () => {
    expect(retryDelayMs(2, policy, undefined, () => 0)).toBe(50);
    expect(retryDelayMs(2, policy, undefined, () => 1)).toBe(100);
    expect(retryDelayMs(3, policy, undefined, () => 1)).toBe(200);
    expect(retryDelayMs(4, policy, undefined, () => 0.5)).toBe(300);
  });

  it('never exceeds the ceiling, however many attempts', () => {
    expect(retryDelayMs(30, policy, undefined, () => 1)).toBe(1000);
    expect(retryDelayMs(1000, policy, undefined, () => 1)).toBe(1000);
  });

  it('waits at least the Retry-After, with up to 10 % jitter on top', () => {
    expect(retryDelayMs(2, policy, 5000, () => 0)).toBe(5000);
    expect(retryDelayMs(2, policy, 5000, () => 1)).toBe(5500);
    // A Retry-After shorter than the backoff does not shorten it.
    expect(retryDelayMs(5, policy, 10, () => 1)).toBe(800);
  });
});

describe('mayRetry', () => {
  it('allows retries up to the attempt budget', () => {
    expect(mayRetry(1, 0, 100, false, policy)).toBe(true);
    expect(mayRetry(policy.maxAttempts - 1, 0, 100, false, policy)).toBe(true);
    expect(mayRetry(policy.maxAttempts, 0, 100, false, policy)).toBe(false);
  });

  it('gives unexpected errors (bugs) fewer attempts', () => {
    expect(mayRetry(policy.unexpectedErrorMaxAttempts - 1, 0, 100, true, policy)).toBe(true);
    expect(mayRetry(policy.unexpectedErrorMaxAttempts, 0, 100, true, policy)).toBe(false);
  });

  it('starts no attempt that would begin after the time budget', () => {
    expect(mayRetry(1, policy.maxElapsedMs - 100, 100, false, policy)).toBe(true);
    expect(mayRetry(1, policy.maxElapsedMs - 100, 101, false, policy)).toBe(false);
  });
});

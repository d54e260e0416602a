import { parseRetryAfter, retryAfterFromMessage } from './retry-after';

describe('Retry-After', () => {
  const now = Date.parse('2025-03-10T12:00:00Z');

  it('reads delta-seconds', () => {
    expect(parseRetryAfter('1', now)).toBe(1000);
    expect(parseRetryAfter(' 30 ', now)).toBe(30_000);
    expect(parseRetryAfter('0', now)).toBe(0);
    expect(parseRetryAfter('1.5', now)).toBe(1500);
  });

  it('reads an HTTP date, never negative', () => {
    expect(parseRetryAfter('Mon, 10 Mar 2025 12:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Mon, 10 Mar 2025 11:59:00 GMT', now)).toBe(0);
  });

  it('ignores what it cannot read', () => {
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-3', now)).toBeUndefined();
  });

  it("reads APIM's message when there is no header", () => {
    expect(retryAfterFromMessage('Rate limit is exceeded. Try again in 1 seconds.')).toBe(1000);
    expect(retryAfterFromMessage('Rate limit is exceeded. Try again in 12 seconds.')).toBe(12_000);
    expect(retryAfterFromMessage('try again in 1 second')).toBe(1000);
    expect(retryAfterFromMessage('Something else')).toBeUndefined();
    expect(retryAfterFromMessage(undefined)).toBeUndefined();
  });
});

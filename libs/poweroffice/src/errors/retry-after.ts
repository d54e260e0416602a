/**
 * How long PowerOffice asks us to wait, from a `Retry-After` header (delta-seconds or an HTTP
 * date, RFC 9110 §10.2.3) or, when APIM sends none, from its message
 * "Rate limit is exceeded. Try again in N seconds."
 */
export function parseRetryAfter(header: string | null | undefined, nowMs: number = Date.now()): number | undefined {
  if (header === null || header === undefined) return undefined;
  const value = header.trim();
  if (value === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  // An HTTP date always has a weekday and month name; this keeps "-3" from parsing as year −3.
  if (!/[a-z]/i.test(value)) return undefined;
  const at = Date.parse(value);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

export function retryAfterFromMessage(message: string | undefined): number | undefined {
  if (!message) return undefined;
  const m = /try again in (\d+(?:\.\d+)?) ?seconds?/i.exec(message);
  return m ? Math.round(Number(m[1]) * 1000) : undefined;
}

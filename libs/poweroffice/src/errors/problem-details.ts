/**
 * What PowerOffice said about a failed call, read from whichever of its three error bodies came
 * back: RFC 7807 ProblemDetails (camelCase on the wire, PascalCase in the spec — so keys are matched
 * case-insensitively), Azure APIM's `{statusCode, message}` (throttling, bad subscription key), or
 * the OAuth `{error, error_description}` of the token endpoint. Texts are kept verbatim.
 */
export interface ProblemFields {
  title?: string;
  detail?: string;
  type?: string;
}

export function parseProblem(body: unknown): ProblemFields {
  if (typeof body === 'string') {
    const text = body.trim();
    return text === '' ? {} : { detail: body.slice(0, 1000) };
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return {};
  const fields = new Map<string, unknown>();
  for (const [k, v] of Object.entries(body)) fields.set(k.toLowerCase(), v);
  const text = (key: string): string | undefined => {
    const v = fields.get(key);
    return typeof v === 'string' ? v : undefined;
  };

  const problem: ProblemFields = {};
  const title = text('title') ?? text('error');
  const detail = text('detail') ?? text('error_description') ?? text('message');
  const type = text('type');
  if (title !== undefined) problem.title = title;
  if (detail !== undefined) problem.detail = detail;
  if (type !== undefined) problem.type = type;
  return problem;
}

/** The OAuth error code of a token-endpoint reply (`invalid_client`, …), if that is what it is. */
export function oauthErrorCode(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const v = (body as Record<string, unknown>).error;
  return typeof v === 'string' ? v : undefined;
}

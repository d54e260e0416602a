import { Problem } from '../domain/problem';
import { parseBusinessDate } from '../domain/time';
import { ApiRequest } from './types';

const JSON_TYPES = /^(application\/json|text\/json|application\/[\w.+-]*\+json)\s*(;|$)/i;
const PATCH_TYPE = /^application\/json-patch\+json\s*(;|$)/i;

/**
 * The JSON body of a POST/PUT, or of a PATCH (which Go accepts only as application/json-patch+json).
 * A wrong media type is 415, a missing or unparsable body is 400 — as ASP.NET answers.
 */
export function jsonBody(
  req: ApiRequest,
  entity: string,
  options: { patch?: boolean; optional?: boolean } = {},
): unknown {
  if (req.rawBody.trim() === '') {
    if (options.optional) return {};
    throw new Problem(400, `${entity} validation error(s)`, 'A non-empty request body is required.');
  }
  const accepted = options.patch ? PATCH_TYPE : JSON_TYPES;
  if (!accepted.test(req.contentType)) {
    throw new Problem(
      415,
      'Unsupported Media Type',
      options.patch
        ? `Content-Type '${req.contentType}' is not supported; send the JSON Patch document as application/json-patch+json.`
        : `Content-Type '${req.contentType}' is not supported; send application/json.`,
    );
  }
  try {
    return JSON.parse(req.rawBody);
  } catch (e) {
    throw new Problem(
      400,
      `${entity} validation error(s)`,
      `The request body is not valid JSON: ${(e as Error).message}`,
    );
  }
}

/** A (schema-checked) PascalCase request body, read field by field. */
export type Body = Record<string, unknown>;

/** A non-empty string field, else null. */
export const str = (b: Body, k: string): string | null => (typeof b[k] === 'string' && b[k] !== '' ? (b[k] as string) : null);
/** A number field, else null. */
export const numb = (b: Body, k: string): number | null => (typeof b[k] === 'number' ? (b[k] as number) : null);
/** A date field as YYYY-MM-DD (Go sometimes sends a time part), else null. */
export const date = (b: Body, k: string): string | null => {
  const v = str(b, k);
  return v === null ? null : parseBusinessDate(v);
};

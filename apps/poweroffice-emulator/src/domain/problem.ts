/**
 * A failure PowerOffice would answer with an RFC 7807 ProblemDetails body. The domain throws these;
 * the HTTP layer writes them as `{type?, title, status, detail}` (camelCase, as on the wire).
 */
export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
  ) {
    super(`${status} ${title}: ${detail}`);
    this.name = 'Problem';
  }
}

/** "<Entity> validation error(s)" — Go's title for a rejected body; all reasons in one detail. */
export function validationProblem(entity: string, reasons: readonly string[], status = 400): Problem {
  return new Problem(status, `${entity} validation error(s)`, reasons.join(' '));
}

export function notFound(detail: string): Problem {
  return new Problem(404, 'Object(s) not found', detail);
}

/** A query parameter that cannot be read (filters with bad numbers, dates, …). */
export function badFilter(detail: string): Problem {
  return new Problem(400, 'Unable to cast object(s)', detail);
}

/** Paging / Fields / OrderBy problems, titled as Go titles them. */
export function badResourceParameter(detail: string): Problem {
  return new Problem(400, 'Invalid resourceParameter', detail);
}

/** Collects every rule violation of one request before failing, so a caller sees them all at once. */
export class Violations {
  private readonly reasons: string[] = [];

  add(reason: string): void {
    this.reasons.push(reason);
  }

  get any(): boolean {
    return this.reasons.length > 0;
  }

  throwIfAny(entity: string, status = 400): void {
    if (this.reasons.length > 0) throw validationProblem(entity, this.reasons, status);
  }
}

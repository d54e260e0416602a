import { BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';

export interface FieldProblem {
  field: string;
  problem: string;
}

/** Every constraint that failed, with its dotted field path (`mapping.sales`, `eventIds.0`). */
export function fieldProblems(errors: readonly ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((problem) => ({ field, problem }));
    return [...own, ...fieldProblems(e.children ?? [], field)];
  });
}

/**
 * Request bodies, queries and path parameters are checked against their DTO classes: unknown fields
 * are refused, and the 400 names every field that is wrong.
 */
export function consoleValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    transform: true,
    whitelist: true,
    forbidNonWhitelisted: true,
    exceptionFactory: (errors) => {
      const problems = fieldProblems(errors);
      return new BadRequestException({
        statusCode: 400,
        error: 'Bad Request',
        message: `Invalid request: ${problems.map((p) => p.problem).join('; ')}`,
        problems,
      });
    },
  });
}

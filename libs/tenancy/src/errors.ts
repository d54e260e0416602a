import { PermanentError } from '@lib/contracts';
import { FieldProblem } from './domain/tenant';
import { formatMappingProblem, MappingProblem } from './domain/validate-mapping';

/**
 * An account mapping PowerOffice would not accept (unknown or inactive accounts, VAT codes that do
 * not fit). Carries every problem; the message lists them one per line for the accountant.
 * Code MAPPING_MISSING: the contract's code for "the tenant's mapping does not allow posting";
 * `details` (= `problems`) says exactly what is wrong.
 */
export class MappingInvalidError extends PermanentError {
  readonly problems: MappingProblem[];

  constructor(tenantId: string, problems: MappingProblem[]) {
    super(
      'MAPPING_MISSING',
      `The account mapping of tenant ${tenantId} does not fit its PowerOffice chart of accounts ` +
        `(${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((p) => `  - ${formatMappingProblem(p)}`).join('\n'),
      { details: problems },
    );
    this.problems = problems;
  }
}

/**
 * Input from an operator (console, CLI) that cannot be stored: bad tenant id, organisation number,
 * schedule, mode. Lists every field problem, like INVALID_EVENT does for events.
 */
export class TenantInputInvalidError extends PermanentError {
  readonly problems: FieldProblem[];

  constructor(what: string, problems: FieldProblem[]) {
    super('INVALID_EVENT', `${what}: ${problems.map((p) => `${p.field} ${p.problem}`).join('; ')}`, {
      details: problems,
    });
    this.problems = problems;
  }
}

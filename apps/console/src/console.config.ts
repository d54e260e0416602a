import { BaseConfig } from '@lib/platform';
import { IsOptional, IsString, Validate, ValidationArguments, ValidatorConstraint, ValidatorConstraintInterface } from 'class-validator';
import { OperatorTokens } from './access/operator-tokens';

/** Why CONSOLE_OPERATOR_TOKEN is unusable, or null. Never quotes a token. */
function operatorTokenProblem(value: unknown, nodeEnv: unknown): string | null {
  const production = nodeEnv === 'production';
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
    return production
      ? 'CONSOLE_OPERATOR_TOKEN is required in production: set it to name:token pairs, e.g. "kari:<random 24+ characters>"'
      : null;
  }
  try {
    OperatorTokens.parse(String(value), { production });
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}

@ValidatorConstraint({ name: 'operatorTokens' })
class OperatorTokenSetting implements ValidatorConstraintInterface {
  validate(value: unknown, args: ValidationArguments): boolean {
    return operatorTokenProblem(value, (args.object as ConsoleConfig).NODE_ENV) === null;
  }

  defaultMessage(args: ValidationArguments): string {
    return operatorTokenProblem(args.value, (args.object as ConsoleConfig).NODE_ENV) ?? 'CONSOLE_OPERATOR_TOKEN is invalid';
  }
}

export class ConsoleConfig extends BaseConfig {
  override PORT = 3000;

  /** Set explicitly so the production check sees it (an undeclared field would not be read from env). */
  @IsOptional()
  @IsString()
  override NODE_ENV = '';

  /**
   * Comma-separated `name:token` pairs (or bare tokens). The name is the actor in the audit log.
   * Required in production; a development token stands in elsewhere, with a warning.
   */
  @Validate(OperatorTokenSetting)
  CONSOLE_OPERATOR_TOKEN = '';
}

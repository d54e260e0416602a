import { CanActivate, createParamDecorator, ExecutionContext, Injectable, SetMetadata, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { HealthController, MetricsController } from '@lib/platform';
import type { Caller } from '../action-log/action-log.repository';
import { bearerToken, Operator, OperatorTokens } from './operator-tokens';

const PUBLIC = 'console:public';

/** For the few routes anyone may fetch: the web page's shell (it holds no data; the data needs the token). */
export const Public = () => SetMetadata(PUBLIC, true);

/** Platform routes a load balancer and Prometheus call without a token. */
const PUBLIC_CONTROLLERS: readonly unknown[] = [HealthController, MetricsController];

/** The parts of an Express request and response the guard touches. */
interface OperatorRequest {
  headers: Record<string, string | string[] | undefined>;
  operator?: Operator;
}
interface HeaderSetter {
  setHeader(name: string, value: string): void;
}

/**
 * Every console route needs `Authorization: Bearer <operator token>`, except /health, /metrics and
 * routes marked @Public(). The token is compared in constant time and never logged or echoed; the
 * operator's name becomes the actor of what the request changes.
 */
@Injectable()
export class OperatorGuard implements CanActivate {
  constructor(
    private readonly tokens: OperatorTokens,
    private readonly reflector: Reflector,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    if (PUBLIC_CONTROLLERS.includes(context.getClass())) return true;
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const request = context.switchToHttp().getRequest<OperatorRequest>();
    const operator = this.tokens.authenticate(bearerToken(request.headers.authorization));
    if (!operator) {
      context.switchToHttp().getResponse<HeaderSetter>().setHeader('WWW-Authenticate', 'Bearer realm="console"');
      throw new UnauthorizedException({
        statusCode: 401,
        error: 'Unauthorized',
        message: 'An operator token is required: send "Authorization: Bearer <token>" (CONSOLE_OPERATOR_TOKEN).',
      });
    }
    request.operator = operator;
    return true;
  }
}

/** The caller of an authenticated request: the operator's name, through HTTP. */
export const CallerOf = createParamDecorator((_: unknown, context: ExecutionContext): Caller => {
  const operator = context.switchToHttp().getRequest<OperatorRequest>().operator;
  if (!operator) throw new UnauthorizedException('No operator on this request');
  return { actor: operator.name, transport: 'http' };
});

import { ArgumentsHost, Catch, ExceptionFilter, HttpException } from '@nestjs/common';
import type { JsonLogger } from '@lib/platform';
import { errorResponse } from './error-response';

interface JsonResponse {
  status(code: number): JsonResponse;
  json(body: unknown): void;
  headersSent?: boolean;
}

/**
 * Every error of a console route as a JSON answer the operator can act on. Unknown errors are
 * logged with their stack and answered with a generic 500: their messages were not written for
 * operators and might carry internals.
 */
@Catch()
export class ConsoleErrorFilter implements ExceptionFilter {
  constructor(private readonly log: JsonLogger) {}

  catch(err: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<JsonResponse>();
    if (response.headersSent) return;
    if (err instanceof HttpException) {
      const body = err.getResponse();
      response.status(err.getStatus()).json(typeof body === 'string' ? { statusCode: err.getStatus(), message: body } : body);
      return;
    }
    const known = errorResponse(err);
    if (known) {
      response.status(known.statusCode).json(known);
      return;
    }
    const request = host.switchToHttp().getRequest<{ method?: string; url?: string }>();
    this.log.error('console request failed', {
      method: request.method,
      // The path only: a query string is the operator's, and this line goes to shared logs.
      path: request.url?.split('?')[0],
      error: err instanceof Error ? { name: err.name, message: err.message, stack: err.stack } : String(err),
    });
    response.status(500).json({ statusCode: 500, error: 'Internal Server Error', message: 'The console failed; the reason is in its log.' });
  }
}

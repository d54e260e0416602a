import { ArgumentsHost, Catch, RpcExceptionFilter } from '@nestjs/common';
import { Observable, throwError } from 'rxjs';

/**
 * Hands a flow handler's error to the pipeline unchanged. Without it Nest's base RPC filter turns
 * every error into `{ status: 'error', message: 'Internal server error' }`, and the pipeline could
 * no longer tell a transient PowerOffice outage from a permanent rejection.
 */
@Catch()
export class HandlerErrorPassthrough implements RpcExceptionFilter<unknown> {
  catch(exception: unknown, _host: ArgumentsHost): Observable<never> {
    return throwError(() => exception);
  }
}

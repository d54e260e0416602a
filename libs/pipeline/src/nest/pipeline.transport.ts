import { CustomTransportStrategy, MessageHandler, Server } from '@nestjs/microservices';
import { isObservable, lastValueFrom } from 'rxjs';
import { EventType, isEventType } from '@lib/contracts';
import type { FlowRuntime } from '../flow-runtime';
import type { OutboxRelay } from '../outbox/outbox-relay';
import type { HandlerContext, HandlerResult } from '../handler';

/**
 * The pipeline as a Nest microservice transport: flows keep writing `@EventPattern('ZReportClosed')`
 * methods on controllers (with Nest's DI, guards and interceptors), and this strategy feeds them
 * from the flow's consumer. The method receives the {@link HandlerContext} (as payload and as
 * context) and returns a {@link HandlerResult}.
 *
 * Connect it with `connectPipeline(app)`, which also installs the filter that lets a handler's
 * error reach the pipeline; Nest's default RPC filter would replace it with "Internal server error".
 */
export class PipelineTransport extends Server implements CustomTransportStrategy {
  constructor(
    readonly runtime: FlowRuntime,
    private readonly relay?: Pick<OutboxRelay, 'stop'>,
  ) {
    super();
  }

  private bound = false;

  /**
   * Hands the app's `@EventPattern` handlers (as Nest wrapped them) to the runtime. `listen` does
   * it before starting the consumer; a host that runs the handlers without consuming (the
   * console's resync) calls it after Nest registered the listeners.
   */
  bindHandlers(): void {
    if (this.bound) return;
    for (const [pattern, handler] of this.getHandlers()) {
      if (!isEventType(pattern)) {
        throw new Error(`pipeline: @EventPattern(${JSON.stringify(pattern)}) is not an event type of the contract`);
      }
      if (!handler.isEventHandler) {
        throw new Error(`pipeline: use @EventPattern, not @MessagePattern, for ${pattern}: events get no reply`);
      }
      this.runtime.handle(pattern as EventType, (ctx) => invoke(handler, ctx));
    }
    this.bound = true;
  }

  listen(callback: (err?: unknown) => void): void {
    try {
      this.bindHandlers();
    } catch (err) {
      callback(err);
      return;
    }
    this.runtime.start().then(
      () => callback(),
      (err: unknown) => callback(err),
    );
  }

  /** Stops consuming (committing what is done), then publishes the outcomes it left in the outbox. */
  async close(): Promise<void> {
    await this.runtime.stop();
    await this.relay?.stop();
  }

  on(): void {
    // The pipeline reports through logs, metrics and health, not transport events.
  }

  unwrap<T>(): T {
    return this.runtime as T;
  }
}

async function invoke(handler: MessageHandler, ctx: HandlerContext<unknown, unknown>): Promise<HandlerResult> {
  try {
    const out: unknown = await handler(ctx, ctx);
    return (isObservable(out) ? await lastValueFrom(out) : out) as HandlerResult;
  } catch (err) {
    if (isNestGenericRpcError(err)) {
      throw new Error(
        'the handler failed, but Nest replaced its error with "Internal server error" (the original is in the ' +
          'RpcExceptionsHandler log line). Connect the pipeline with connectPipeline(app) so errors reach it.',
      );
    }
    throw err;
  }
}

function isNestGenericRpcError(err: unknown): boolean {
  return (
    typeof err === 'object' &&
    err !== null &&
    !(err instanceof Error) &&
    (err as { status?: unknown }).status === 'error'
  );
}

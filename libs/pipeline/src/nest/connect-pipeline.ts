import type { INestApplication } from '@nestjs/common';
import { MicroserviceOptions, NestMicroservice } from '@nestjs/microservices';
import { HandlerErrorPassthrough } from './handler-error-passthrough.filter';
import { PipelineTransport } from './pipeline.transport';

/**
 * Connects the flow's consumer (PipelineModule.forFlow) to the app as a microservice transport.
 * Use in `bootstrapApp({ configure: (app) => connectPipeline(app) })`, or before
 * `app.startAllMicroservices()`.
 */
export function connectPipeline(app: INestApplication): NestMicroservice {
  const transport = app.get(PipelineTransport, { strict: false });
  // Deferred, so the error filter is in place before Nest wraps the handlers (it reads the filters
  // once, when it registers them) ...
  const microservice = app.connectMicroservice<MicroserviceOptions>(
    { strategy: transport },
    { deferInitialization: true },
  ) as unknown as NestMicroservice;
  microservice.useGlobalFilters(new HandlerErrorPassthrough());
  // ... and without running the modules' lifecycle hooks a second time: the app runs them.
  microservice.setIsInitHookCalled(true);
  return microservice;
}

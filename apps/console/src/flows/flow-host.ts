import type { INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { connectPipeline, FlowRuntime, OutboxRelay, PipelineTransport } from '@lib/pipeline';
import { TenantService } from '@lib/tenancy';
import { unavailable } from '../domain/console-errors';
import type { FlowName } from '../domain/flow-topics';
import { FLOW_MODULES, FlowModules } from './flow-modules';

/** A flow app's module running inside the console: its providers, and its pipeline runtime with the flow's handlers. */
export interface HostedFlow {
  readonly flow: FlowName;
  /** The flow's runtime with every `@EventPattern` handler registered, its consumer NOT started. */
  readonly runtime: FlowRuntime;
  /** A provider of the flow app (e.g. the settlement app's service), by class. */
  get<T>(type: Type<T>): T;
}

export interface FlowHostOptions {
  /** The environment the flow modules read their config from (Kafka, database, PowerOffice, TOPIC_PREFIX). */
  env: NodeJS.ProcessEnv;
  /** Keep a flow booted between uses (the HTTP server) or close it after each (the CLI). */
  keepOpen: boolean;
  /** LOG_LEVEL for the hosted flows' own loggers (the CLI keeps them quiet). */
  logLevel?: string;
}

/**
 * Runs a flow app's own module inside the console process, so operator actions go through the
 * flow's own code instead of a copy: a resync replays a tenant's events through the flow's
 * handlers (FlowRuntime.resync), a settlement resend calls the settlement app's service.
 *
 * The module is created but not started as an app: no consumer joins the flow's group, no HTTP
 * port opens, no lifecycle hook runs, so the flow's scheduled jobs stay off; only the outbox relay
 * runs, so outcomes the flow writes here are published at once. Migrations are left to the flow
 * apps (DB_MIGRATE_ON_START=false).
 */
export class FlowHost {
  private readonly open = new Map<FlowName, Promise<BootedFlow>>();

  constructor(
    private readonly options: FlowHostOptions,
    private readonly modules: FlowModules = FLOW_MODULES,
  ) {}

  async use<T>(flow: FlowName, work: (hosted: HostedFlow) => Promise<T>): Promise<T> {
    let booting = this.open.get(flow);
    if (!booting) {
      booting = this.boot(flow);
      this.open.set(flow, booting);
      booting.catch(() => this.open.delete(flow));
    }
    const { hosted, forgetTenants } = await booting;
    // A hosted flow lives on between uses: what it cached of tenants (mapping, reference data) may
    // predate the operator's last change, which is often the very reason for this use.
    forgetTenants();
    try {
      return await work(hosted);
    } finally {
      if (!this.options.keepOpen) await this.closeFlow(flow);
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.open.keys()].map((flow) => this.closeFlow(flow)));
  }

  private async closeFlow(flow: FlowName): Promise<void> {
    const booting = this.open.get(flow);
    this.open.delete(flow);
    const booted = await booting?.catch(() => undefined);
    await booted?.app.close();
  }

  private async boot(flow: FlowName): Promise<BootedFlow> {
    const factory = await this.modules[flow]();
    const env: NodeJS.ProcessEnv = {
      ...this.options.env,
      DB_MIGRATE_ON_START: 'false',
      PORT: '0',
      ...(this.options.logLevel ? { LOG_LEVEL: this.options.logLevel } : {}),
    };
    const app = await NestFactory.create(factory(env), { logger: false, abortOnError: false });
    try {
      const runtime = app.get(FlowRuntime, { strict: false });
      const transport = app.get(PipelineTransport, { strict: false });
      // The flow's handlers as PipelineTransport.listen binds them, minus starting the consumer.
      const microservice = connectPipeline(app);
      microservice.registerListeners();
      microservice.setIsInitialized(true);
      transport.bindHandlers();
      await app.get(OutboxRelay, { strict: false }).start();
      const hosted: HostedFlow = { flow, runtime, get: (type) => app.get(type, { strict: false }) };
      const tenants = optional(() => app.get(TenantService, { strict: false }));
      return { app, hosted, forgetTenants: () => tenants?.invalidate() };
    } catch (err) {
      await app.close().catch(() => undefined);
      if (err instanceof Error && /could not find|Nest could not find/i.test(err.message)) {
        throw unavailable(
          `The ${flow} app does not run the pipeline (no PipelineModule.forFlow in its module), so the console cannot act through it yet`,
        );
      }
      throw err;
    }
  }
}

interface BootedFlow {
  app: INestApplication;
  hosted: HostedFlow;
  forgetTenants(): void;
}

function optional<T>(get: () => T): T | undefined {
  try {
    return get();
  } catch {
    return undefined;
  }
}

import { Controller, Get, Inject, Injectable } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorResult } from '@nestjs/terminus';
import { DataSource } from 'typeorm';
import { Kafka } from 'kafkajs';
import { KAFKA } from './tokens';

export interface HealthStatus {
  up: boolean;
  [detail: string]: unknown;
}
export type HealthCheckFn = () => Promise<HealthStatus>;

/** Libraries add their own checks (e.g. "consumer running") without the app wiring each one. */
@Injectable()
export class HealthRegistry {
  private readonly checks = new Map<string, HealthCheckFn>();

  register(name: string, check: HealthCheckFn): void {
    this.checks.set(name, check);
  }
  unregister(name: string): void {
    this.checks.delete(name);
  }
  entries(): [string, HealthCheckFn][] {
    return [...this.checks.entries()];
  }
}

async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<T>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    if (timer) clearTimeout(timer);
  }
}

function toResult(name: string, status: HealthStatus): HealthIndicatorResult {
  const { up, ...details } = status;
  return { [name]: { status: up ? 'up' : 'down', ...details } } as HealthIndicatorResult;
}

@Controller()
export class HealthController {
  private kafkaAdmin?: ReturnType<Kafka['admin']>;
  private kafkaConnected = false;

  constructor(
    private readonly health: HealthCheckService,
    private readonly registry: HealthRegistry,
    private readonly dataSource: DataSource,
    @Inject(KAFKA) private readonly kafka: Kafka,
  ) {}

  /** 200 with every check up, 503 with the failing ones named. */
  @Get('health')
  @HealthCheck()
  check() {
    return this.health.check([
      () => this.database(),
      () => this.broker(),
      ...this.registry.entries().map(([name, fn]) => async () => {
        try {
          return toResult(name, await withTimeout(fn(), 3000, name));
        } catch (err) {
          return toResult(name, { up: false, message: (err as Error).message });
        }
      }),
    ]);
  }

  private async database(): Promise<HealthIndicatorResult> {
    try {
      await withTimeout(this.dataSource.query('SELECT 1'), 3000, 'PostgreSQL');
      return toResult('database', { up: true });
    } catch (err) {
      return toResult('database', { up: false, message: (err as Error).message });
    }
  }

  private async broker(): Promise<HealthIndicatorResult> {
    try {
      if (!this.kafkaAdmin) this.kafkaAdmin = this.kafka.admin();
      if (!this.kafkaConnected) {
        await withTimeout(this.kafkaAdmin.connect(), 3000, 'Kafka');
        this.kafkaConnected = true;
      }
      const cluster = await withTimeout(this.kafkaAdmin.describeCluster(), 3000, 'Kafka');
      return toResult('kafka', { up: true, brokers: cluster.brokers.length });
    } catch (err) {
      this.kafkaConnected = false;
      await this.kafkaAdmin?.disconnect().catch(() => undefined);
      this.kafkaAdmin = undefined;
      return toResult('kafka', { up: false, message: (err as Error).message });
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.kafkaAdmin?.disconnect().catch(() => undefined);
  }
}

import { Controller, Get, Header, Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** One Prometheus registry per app process; libraries create their metrics through it. */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  private readonly cache = new Map<string, unknown>();

  constructor(app = process.env.APP_NAME ?? 'app') {
    this.registry.setDefaultLabels({ app });
    collectDefaultMetrics({ register: this.registry });
  }

  counter(name: string, help: string, labelNames: string[] = []): Counter<string> {
    return this.once(name, () => new Counter({ name, help, labelNames, registers: [this.registry] }));
  }
  gauge(name: string, help: string, labelNames: string[] = []): Gauge<string> {
    return this.once(name, () => new Gauge({ name, help, labelNames, registers: [this.registry] }));
  }
  histogram(name: string, help: string, labelNames: string[] = [], buckets?: number[]): Histogram<string> {
    return this.once(name, () => new Histogram({ name, help, labelNames, buckets, registers: [this.registry] }));
  }

  private once<T>(name: string, make: () => T): T {
    if (!this.cache.has(name)) this.cache.set(name, make());
    return this.cache.get(name) as T;
  }
}

@Controller()
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4')
  async scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}

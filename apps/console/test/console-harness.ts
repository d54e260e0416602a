import { randomBytes } from 'node:crypto';
import type { DynamicModule, INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Kafka } from 'kafkajs';
import { buildEvent, encodeEnvelope, Envelope, EventDataByType, PosEventType, POS_EVENT_TYPES, topicName } from '@lib/contracts';
import { connectPipeline } from '@lib/pipeline';
import { createKafka, ensureTopics, JsonLogger } from '@lib/platform';
import { loadEnv } from '@lib/platform';
import { NS4102_PRESET } from '@lib/tenancy';
import { startEmulator, RunningEmulator } from '../../poweroffice-emulator/src/bootstrap';
import { testEnv, uniqueId } from '../../../test/support/env';
import { ConsoleConfig } from '../src/console.config';
import { ConsoleModule, ConsoleModuleOptions } from '../src/console.module';
import { configureConsoleHttp } from '../src/http/configure';

/**
 * Test helpers for the console (candidates to hoist into test/support for every app):
 * an in-process emulator, the console app booted on port 0 against the run's Kafka and
 * PostgreSQL, and a small typed HTTP client that sends the operator token.
 */

export const OPERATOR = { name: 'kari', token: 'kari-test-token-0123456789abcdef' };
export const SECOND_OPERATOR = { name: 'ola', token: 'ola-test-token-fedcba9876543210' };

export interface RunningConsole {
  app: INestApplication;
  baseUrl: string;
  emulator: RunningEmulator;
  /** The PowerOffice settings the console (and anything it hosts) uses: the emulator. */
  env: NodeJS.ProcessEnv;
  http: ConsoleHttp;
  close(): Promise<void>;
}

/** Env for an app of this run pointed at the emulator. */
export function runEnv(emulatorBaseUrl: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const { kafkaBrokers, databaseUrl, topicPrefix } = testEnv();
  return {
    ...process.env,
    KAFKA_BROKERS: kafkaBrokers,
    DATABASE_URL: databaseUrl,
    TOPIC_PREFIX: topicPrefix,
    DB_MIGRATE_ON_START: 'false',
    LOG_LEVEL: process.env.CONSOLE_TEST_LOG ? 'info' : 'error',
    POWEROFFICE_BASE_URL: emulatorBaseUrl,
    POWEROFFICE_RATE_LIMIT: '10',
    ...extra,
  };
}

/**
 * A topic prefix of the test file's own under the run's: the flow apps a file starts are then the
 * only consumers of its topics, and the settlement posters post only its settlements.
 */
export function filePrefix(name: string): string {
  return `${testEnv().topicPrefix}${name}-${randomBytes(3).toString('hex')}.`;
}

export async function startConsole(
  options: Omit<ConsoleModuleOptions, 'env'> & { emulator?: RunningEmulator; env?: Record<string, string> } = {},
): Promise<RunningConsole> {
  const emulator = options.emulator ?? (await startEmulator({ port: 0 }));
  const env = runEnv(emulator.baseUrl, {
    PORT: '0',
    CONSOLE_OPERATOR_TOKEN: `${OPERATOR.name}:${OPERATOR.token},${SECOND_OPERATOR.name}:${SECOND_OPERATOR.token}`,
    ...options.env,
  });
  const config = loadEnv(ConsoleConfig, env);
  const app = await NestFactory.create(ConsoleModule.register(config, { ...options, env }), { logger: false, abortOnError: false });
  configureConsoleHttp(app);
  await app.listen(0, '127.0.0.1');
  const baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return {
    app,
    baseUrl,
    emulator,
    env,
    http: new ConsoleHttp(baseUrl, OPERATOR.token),
    close: async () => {
      await app.close();
      if (!options.emulator) await emulator.close();
    },
  };
}

/** A JSON answer as the tests read it: field by field, asserted with expect. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the assertions are the type check
export type Json = any;

export interface HttpAnswer<T = Json> {
  status: number;
  body: T;
  text: string;
  headers: Headers;
}

/** fetch with the operator token; never throws on a status, so tests assert on it. */
export class ConsoleHttp {
  /** Every answer's text, for "no secret in any response" checks. */
  readonly transcript: string[] = [];

  constructor(
    readonly baseUrl: string,
    private readonly token: string | null,
  ) {}

  as(token: string | null): ConsoleHttp {
    return new ConsoleHttp(this.baseUrl, token);
  }

  async call<T = Json>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<HttpAnswer<T>> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        ...(this.token !== null ? { Authorization: `Bearer ${this.token}` } : {}),
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    this.transcript.push(text);
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON (the web page): keep the text
    }
    return { status: res.status, body: parsed as T, text, headers: res.headers };
  }

  get = <T = Json>(path: string) => this.call<T>('GET', path);
  post = <T = Json>(path: string, body?: unknown) => this.call<T>('POST', path, body ?? {});
  put = <T = Json>(path: string, body?: unknown) => this.call<T>('PUT', path, body);
}

/** An emulated PowerOffice client (NS 4102 chart) and the tenant id to onboard it as. */
export async function newShop(emulator: RunningEmulator, options: { privileges?: string[]; prefix?: string } = {}) {
  const tenantId = uniqueId(options.prefix ?? 'shop');
  const client = await emulator.admin.createClient({
    preset: 'ns4102',
    name: `Butikk ${tenantId}`,
    organizationNumber: '999888777',
    ...(options.privileges ? { privileges: options.privileges } : {}),
  });
  return { tenantId, clientKey: client.clientKey, onboarding: { id: tenantId, name: `Butikk ${tenantId}`, organizationNumber: '999 888 777', clientKey: client.clientKey } };
}

/** NS 4102 without one key: a mapping that passes validation but cannot post a day that uses it. */
export function ns4102Without(path: 'payments.vipps' | 'payments.card'): typeof NS4102_PRESET {
  const mapping = structuredClone(NS4102_PRESET);
  delete mapping.payments[path.split('.')[1] as 'vipps' | 'card'];
  return mapping;
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** A flow app booted in-process as its main.ts does (consumer, relay, jobs), on port 0. */
export async function startFlowApp(module: DynamicModule): Promise<INestApplication> {
  const app = await NestFactory.create(module, {
    logger: new JsonLogger('flow-under-test', (process.env.CONSOLE_TEST_LOG as 'debug' | undefined) ?? 'error'),
    abortOnError: false,
  });
  connectPipeline(app);
  await app.startAllMicroservices();
  await app.listen(0, '127.0.0.1');
  return app;
}

/** The run's broker, for producing POS events and reading topics. */
export function testKafka(clientId: string): Kafka {
  return createKafka({ brokers: testEnv().kafkaBrokers, clientId, log: () => undefined });
}

/** A POS event as Open One sends it. */
export function posEvent<K extends PosEventType>(type: K, tenantId: string, data: EventDataByType[K]): Envelope<EventDataByType[K]> {
  const route = POS_EVENT_TYPES[type] as unknown as { entityId(d: EventDataByType[K]): string };
  return buildEvent({ type, tenantId, entityId: route.entityId(data), data, source: 'open-one' });
}

/** Produces records to a POS topic (the topics and their dead-letter topics are created first). */
export async function produce(
  kafka: Kafka,
  topicKey: 'zReportClosed' | 'invoicePosted' | 'customerChanged' | 'articleChanged',
  prefix: string,
  messages: ({ key: string; value: Buffer | string | null; headers?: Record<string, string> } | Envelope)[],
): Promise<void> {
  const topic = topicName(topicKey, prefix);
  await ensureTopics(kafka, [topic, `${topic}.dlq`], 3);
  const producer = kafka.producer();
  await producer.connect();
  try {
    await producer.send({
      topic,
      acks: -1,
      messages: messages.map((m) => ('type' in m && 'data' in m ? encodeEnvelope(m as Envelope) : (m as { key: string; value: Buffer | string | null }))),
    });
  } finally {
    await producer.disconnect();
  }
}

import { Global, Module } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { RunningEmulator, startEmulator } from '../../../../apps/poweroffice-emulator/src/bootstrap';
import { openTestDatabase } from '../../test-support/database';
import { PgApiBudget } from '../budget/pg-api-budget';
import { PowerOfficeClientFactory } from '../client';
import { PgCallRecorder } from '../recording/pg-call-recorder';
import {
  POWEROFFICE_API_BUDGET,
  POWEROFFICE_CALL_RECORDER,
  POWEROFFICE_CONFIG,
  PowerOfficeModule,
} from './power-office.module';

describe('PowerOfficeModule.forRoot (Nest wiring)', () => {
  let emulator: RunningEmulator;
  let db: DataSource;
  let moduleRef: TestingModule;

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0 });
    db = await openTestDatabase();
    // What PlatformModule gives every app: the TypeORM DataSource, injectable by class.
    @Global()
    @Module({ providers: [{ provide: DataSource, useValue: db }], exports: [DataSource] })
    class DatabaseStub {}
    moduleRef = await Test.createTestingModule({
      imports: [
        DatabaseStub,
        PowerOfficeModule.forRoot({ env: { POWEROFFICE_BASE_URL: emulator.baseUrl, POWEROFFICE_RATE_LIMIT: '10' } }),
      ],
    }).compile();
    await moduleRef.init();
  });
  afterAll(async () => {
    await moduleRef?.close();
    await db?.destroy();
    await emulator?.close();
  });

  it('builds the factory from env (emulator dev keys by default) on the PostgreSQL budget and recorder', async () => {
    expect(moduleRef.get(POWEROFFICE_CONFIG)).toMatchObject({
      baseUrl: emulator.baseUrl,
      applicationKey: emulator.applicationKey,
      subscriptionKey: emulator.subscriptionKey,
      rateLimit: 10,
    });
    expect(moduleRef.get(POWEROFFICE_API_BUDGET)).toBeInstanceOf(PgApiBudget);
    expect(moduleRef.get(POWEROFFICE_CALL_RECORDER)).toBeInstanceOf(PgCallRecorder);

    const { clientKey } = await emulator.admin.createClient({ preset: 'ns4102' });
    const tenantId = `nest-${randomBytes(4).toString('hex')}`;
    const api = moduleRef.get(PowerOfficeClientFactory).forTenant({ tenantId, clientKey, lane: 'settlement' });
    expect((await api.vatCodes.listAll()).length).toBeGreaterThan(5);
    await api.customers.get(1).catch(() => undefined); // a 404 to record

    await (moduleRef.get(POWEROFFICE_CALL_RECORDER) as PgCallRecorder).flush();
    const rows = await db.query(
      'SELECT lane, method, path_template, path, status, error_title, error_detail FROM poweroffice.api_calls WHERE tenant_id = $1 ORDER BY id',
      [tenantId],
    );
    expect(rows).toEqual([
      {
        lane: 'settlement',
        method: 'POST',
        path_template: '/OAuth/Token',
        path: '/OAuth/Token',
        status: 200,
        error_title: null,
        error_detail: null,
      },
      {
        lane: 'settlement',
        method: 'GET',
        path_template: '/VatCodes',
        path: '/VatCodes',
        status: 200,
        error_title: null,
        error_detail: null,
      },
      {
        lane: 'settlement',
        method: 'GET',
        path_template: '/Customers/{id}',
        path: '/Customers/1',
        status: 404,
        error_title: 'Object(s) not found',
        error_detail: 'Customer with id = 1 not found.',
      },
    ]);
    const everything = JSON.stringify(
      await db.query('SELECT * FROM poweroffice.api_calls WHERE tenant_id = $1', [tenantId]),
    );
    expect(everything).not.toContain(clientKey);
    expect(everything).not.toContain(emulator.subscriptionKey);
  });
});

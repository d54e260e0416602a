import { DynamicModule, InjectionToken, Logger, Module } from '@nestjs/common';
import { PowerOfficeClient, PowerOfficeClientFactory } from '@lib/poweroffice';
import { DataSource } from 'typeorm';
import { KeyCipher } from '../crypto/key-cipher';
import { TenancyPowerOfficeFactory } from '../power-office/port';
import { TenancyLogger, TenantService } from '../tenant.service';

export interface TenancyModuleOptions {
  /**
   * Provider token of the PowerOffice client factory; default `PowerOfficeClientFactory`, as
   * provided by `PowerOfficeModule.forRoot()`. Optional at run time: without a factory, everything
   * but onboarding, `clientFor` and reference-data refresh works (e.g. a read-only tool).
   */
  powerOfficeFactory?: InjectionToken;
  cacheTtlMs?: number;
}

/** Nest's logger (the app's JSON logger once installed with app.useLogger) in tenancy's shape. */
function nestLogger(): TenancyLogger {
  const logger = new Logger('tenancy');
  const line = (message: string, fields?: Record<string, unknown>) =>
    fields ? `${message} ${JSON.stringify(fields)}` : message;
  return {
    warn: (message, fields) => logger.warn(line(message, fields)),
    info: (message, fields) => logger.log(line(message, fields)),
  };
}

/**
 * Thin Nest binding of TenantService: the DataSource from the platform's TypeORM module, the
 * encryption key from env (TENANT_KEY_ENCRYPTION_KEY, checked when the app starts), the PowerOffice
 * factory from @lib/poweroffice. Global, so every feature module of an app can inject TenantService.
 */
@Module({})
export class TenancyModule {
  static forRoot(options: TenancyModuleOptions = {}): DynamicModule {
    return {
      module: TenancyModule,
      global: true,
      providers: [
        { provide: KeyCipher, useFactory: () => KeyCipher.fromEnv({ logger: nestLogger() }) },
        {
          provide: TenantService,
          useFactory: (
            dataSource: DataSource,
            cipher: KeyCipher,
            factory?: TenancyPowerOfficeFactory<PowerOfficeClient>,
          ) =>
            new TenantService<PowerOfficeClient>(dataSource, cipher, factory ?? undefined, {
              cacheTtlMs: options.cacheTtlMs,
              logger: nestLogger(),
            }),
          inject: [
            DataSource,
            KeyCipher,
            { token: options.powerOfficeFactory ?? PowerOfficeClientFactory, optional: true },
          ],
        },
      ],
      exports: [TenantService, KeyCipher],
    };
  }
}

// Compile-time proof that the real factory fits tenancy's port (the module injects it as one).
const _realFactoryFits = (f: PowerOfficeClientFactory): TenancyPowerOfficeFactory<PowerOfficeClient> => f;
void _realFactoryFits;

import { DynamicModule, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PipelineModule } from '@lib/pipeline';
import { PlatformModule } from '@lib/platform';
import { PowerOfficeModule } from '@lib/poweroffice';
import { TenancyModule, TenantService } from '@lib/tenancy';
import { CustomerLookup } from './customer-lookup';
import { InvoiceAccounts } from './invoice-accounts';
import { InvoiceController } from './invoice.controller';
import { InvoiceConfig, powerOfficeEnv } from './invoice.config';
import { INVOICE_FLOW, INVOICE_RETRY_POLICY } from './invoice-flow';
import { InvoiceRepository } from './invoice.repository';
import { InvoiceTransfer } from './invoice-transfer';
import { SalesOrderTransfer } from './sales-order-transfer';
import { VoucherTransfer } from './voucher-transfer';

@Module({})
export class InvoiceModule {
  static register(config: InvoiceConfig): DynamicModule {
    return {
      module: InvoiceModule,
      imports: [
        PlatformModule.forApp({ name: 'invoice', configValues: config }),
        PowerOfficeModule.forRoot({ env: powerOfficeEnv(config) }),
        TenancyModule.forRoot(),
        PipelineModule.forFlow(INVOICE_FLOW),
      ],
      controllers: [InvoiceController],
      providers: [
        { provide: InvoiceRepository, inject: [DataSource], useFactory: (db: DataSource) => new InvoiceRepository(db) },
        { provide: CustomerLookup, inject: [DataSource], useFactory: (db: DataSource) => new CustomerLookup(db) },
        {
          provide: InvoiceAccounts,
          inject: [TenantService],
          useFactory: (tenants: TenantService) => new InvoiceAccounts(tenants),
        },
        {
          provide: VoucherTransfer,
          inject: [InvoiceRepository, InvoiceAccounts],
          useFactory: (invoices: InvoiceRepository, accounts: InvoiceAccounts) =>
            new VoucherTransfer(invoices, accounts),
        },
        {
          provide: SalesOrderTransfer,
          inject: [InvoiceRepository, InvoiceAccounts],
          useFactory: (invoices: InvoiceRepository, accounts: InvoiceAccounts) =>
            new SalesOrderTransfer(invoices, accounts, { send: config.INVOICE_SEND_FROM_POWEROFFICE }),
        },
        {
          provide: InvoiceTransfer,
          inject: [InvoiceRepository, CustomerLookup, InvoiceAccounts, VoucherTransfer, SalesOrderTransfer],
          useFactory: (
            invoices: InvoiceRepository,
            customers: CustomerLookup,
            accounts: InvoiceAccounts,
            vouchers: VoucherTransfer,
            salesOrders: SalesOrderTransfer,
          ) =>
            new InvoiceTransfer(invoices, customers, accounts, vouchers, salesOrders, {
              customerWaitMs: config.INVOICE_CUSTOMER_WAIT_MS,
              maxAttempts: INVOICE_RETRY_POLICY.maxAttempts,
            }),
        },
      ],
    };
  }
}

import type { DynamicModule } from '@nestjs/common';
import { loadEnv } from '@lib/platform';
import type { FlowName } from '../domain/flow-topics';

/**
 * How the console builds each flow app's root module, to host it in-process (see FlowHost): the
 * one place the console depends on the flow apps' code. Loaded lazily, so the console starts (and
 * the CLI answers `--help`) without loading every flow.
 */
export type FlowModuleFactory = (env: NodeJS.ProcessEnv) => DynamicModule;
export type FlowModules = Readonly<Record<FlowName, () => Promise<FlowModuleFactory>>>;

export const FLOW_MODULES: FlowModules = {
  'customer-sync': async () => {
    const [{ CustomerSyncModule }, { CustomerSyncConfig }] = await Promise.all([
      import('../../../customer-sync/src/customer-sync.module'),
      import('../../../customer-sync/src/customer-sync.config'),
    ]);
    return (env) => CustomerSyncModule.register(loadEnv(CustomerSyncConfig, env));
  },
  'article-sync': async () => {
    const [{ ArticleSyncModule }, { ArticleSyncConfig }] = await Promise.all([
      import('../../../article-sync/src/article-sync.module'),
      import('../../../article-sync/src/article-sync.config'),
    ]);
    return (env) => ArticleSyncModule.register(loadEnv(ArticleSyncConfig, env));
  },
  settlement: async () => {
    const [{ SettlementModule }, { SettlementConfig }] = await Promise.all([
      import('../../../settlement/src/settlement.module'),
      import('../../../settlement/src/settlement.config'),
    ]);
    return (env) => SettlementModule.register(loadEnv(SettlementConfig, env));
  },
  invoice: async () => {
    const [{ InvoiceModule }, { InvoiceConfig }] = await Promise.all([
      import('../../../invoice/src/invoice.module'),
      import('../../../invoice/src/invoice.config'),
    ]);
    return (env) => InvoiceModule.register(loadEnv(InvoiceConfig, env));
  },
};

import type { Kafka } from 'kafkajs';
import { TenantService } from '@lib/tenancy';
import { Caller } from '../action-log/action-log.repository';
import { ActionRecorder } from '../action-log/action-recorder';
import { notFound, refused } from '../domain/console-errors';

/** The settlement app's import (apps/settlement/src/saft/saft-import.ts), by its types. */
type SettlementSaft = typeof import('../../../settlement/src');
export type SaftImportSummary = Awaited<ReturnType<SettlementSaft['importSaftFile']>>;
export type SaftImportProgress = Parameters<NonNullable<Parameters<SettlementSaft['importSaftFile']>[0]['onProgress']>>[0];

/**
 * Publishes the Z-reports of a SAF-T Cash Register file as ZReportClosed events of a tenant (the
 * settlement app's own import: deterministic event ids, so importing a file twice changes nothing).
 * The file must be the tenant's company's: its organisation number is checked first.
 */
export class ImportSaftFile {
  constructor(
    private readonly tenants: TenantService,
    private readonly kafka: Kafka,
    private readonly recorder: ActionRecorder,
    private readonly topicPrefix: string,
  ) {}

  execute(caller: Caller, command: { tenantId: string; file: string }, onProgress?: (p: SaftImportProgress) => void): Promise<SaftImportSummary> {
    return this.recorder.run(
      caller,
      { action: 'saft.import', tenantId: command.tenantId, target: { file: command.file } },
      async () => {
        const tenant = await this.tenants.get(command.tenantId);
        if (!tenant) throw notFound(`Tenant ${command.tenantId} is not onboarded`);
        const { importSaftFile } = await import('../../../settlement/src');
        try {
          return await importSaftFile({
            file: command.file,
            tenantId: tenant.id,
            kafka: this.kafka,
            topicPrefix: this.topicPrefix,
            organizationNumber: tenant.organizationNumber,
            onProgress,
          });
        } catch (err) {
          // The import's own refusals (another company's file, a file that is not SAF-T) are for the operator.
          if (err instanceof Error && !(err as NodeJS.ErrnoException).code) throw refused(err.message);
          throw err;
        }
      },
      (s) => ({ found: s.found, published: s.published.length, skipped: s.skipped.length }),
    );
  }
}

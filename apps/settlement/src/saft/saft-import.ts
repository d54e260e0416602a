import { readFile } from 'node:fs/promises';
import type { Kafka, Producer } from 'kafkajs';
import {
  buildEvent,
  encodeEnvelope,
  topicName,
  URL_NAMESPACE,
  uuidv5,
  validateEventData,
  zReportEntityId,
  type Envelope,
  type ZReportClosed,
} from '@lib/contracts';
import { contentHash } from '../domain/cash-journal-voucher';
import { checkZReport } from '../domain/z-report-check';
import { parseSaftCashRegister, type SaftCashRegisterImport, type SaftCompany } from './saft-cash-register';

/** `ce_source` of the ZReportClosed events an import publishes. */
export const SAFT_IMPORT_SOURCE = 'open-one-poweroffice/saft-import';

/** Name space of import event ids. */
export const SAFT_IMPORT_NAMESPACE = uuidv5('urn:open-one-poweroffice:saft-import:z-report', URL_NAMESPACE);

export interface SaftImportProgress {
  /** Z-reports published so far. */
  published: number;
  /** Z-reports to publish (the file's valid ones). */
  total: number;
  registerId: string;
  zNumber: number;
  businessDate: string;
}

export interface SaftImportedReport {
  eventId: string;
  registerId: string;
  zNumber: number;
  businessDate: string;
}

export interface SaftSkippedReport {
  registerId: string;
  zNumber: number;
  businessDate: string;
  reason: string;
}

export interface SaftImportSummary {
  company: SaftCompany;
  tenantId: string;
  topic: string;
  /** Z-reports in the file. */
  found: number;
  published: SaftImportedReport[];
  /** Not published: they break the event contract (the file says why in `reason`). */
  skipped: SaftSkippedReport[];
  /** Everything odd but not fatal in the file, in words an operator can act on. */
  warnings: string[];
}

export interface SaftImportOptions {
  /** Path of the SAF-T Cash Register XML, or its bytes. */
  file: string | Buffer;
  tenantId: string;
  kafka: Kafka;
  /** Prepended to the topic name (the environment's TOPIC_PREFIX). */
  topicPrefix?: string;
  onProgress?: (progress: SaftImportProgress) => void;
  /** When given, the file must be this company's (its companyIdent); nothing is published otherwise. */
  organizationNumber?: string;
}

/** The ZReportClosed events of a parsed file, and the reports that cannot be events. */
export interface SaftZReportEvents {
  events: Envelope<ZReportClosed>[];
  skipped: SaftSkippedReport[];
  warnings: string[];
}

/**
 * The event id of an imported Z-report: the same tenant, register, Z number and content give the
 * same id, so importing a file twice is recognised as a redelivery; a corrected file (different
 * content for a Z) gives a new id, which the settlement treats as a correction.
 */
export function saftZReportEventId(tenantId: string, report: ZReportClosed): string {
  return uuidv5(
    JSON.stringify([tenantId, report.registerId, report.zNumber, contentHash(report)]),
    SAFT_IMPORT_NAMESPACE,
  );
}

/** Pure: the events an import would publish for a parsed file. */
export function saftZReportEvents(parsed: SaftCashRegisterImport, tenantId: string): SaftZReportEvents {
  const events: Envelope<ZReportClosed>[] = [];
  const skipped: SaftSkippedReport[] = [];
  const warnings = [...parsed.warnings];
  parsed.zReports.forEach((report, i) => {
    const ids = { registerId: report.registerId, zNumber: report.zNumber, businessDate: report.businessDate };
    const problems = validateEventData('ZReportClosed', report);
    if (problems.length > 0) {
      skipped.push({ ...ids, reason: problems.map((p) => `${p.field} ${p.problem}`).join('; ') });
      return;
    }
    // The file's own total is the one control the event cannot carry: check it here.
    const control = parsed.controls[i];
    for (const p of checkZReport(report, undefined, control ? { totalCashSales: control.totalCashSales } : {})) {
      if (p.kind === 'SALES_TOTAL') warnings.push(`Z ${report.zNumber} of register ${report.registerId}: ${p.message}`);
    }
    events.push(
      buildEvent({
        type: 'ZReportClosed',
        tenantId,
        entityId: zReportEntityId(report.registerId, report.zNumber),
        data: report,
        source: SAFT_IMPORT_SOURCE,
        id: saftZReportEventId(tenantId, report),
        time: report.closedAt,
      }),
    );
  });
  return { events, skipped, warnings };
}

const BATCH = 100;

/**
 * Imports a SAF-T Cash Register file: every Z-report in it is published as a ZReportClosed for the
 * tenant (pos.z-report-closed.v1), so back-filled days go through the very same settlement as
 * Open One's own. The console's `saft import` command calls this.
 */
export async function importSaftFile(options: SaftImportOptions): Promise<SaftImportSummary> {
  const bytes = typeof options.file === 'string' ? await readFile(options.file) : options.file;
  const parsed = parseSaftCashRegister(bytes);
  if (
    options.organizationNumber !== undefined &&
    parsed.company.ident.replace(/\s+/g, '') !== options.organizationNumber.replace(/\s+/g, '')
  ) {
    throw new Error(
      `The file belongs to ${parsed.company.name} (organisation number ${parsed.company.ident}), not to tenant ${options.tenantId} ` +
        `(${options.organizationNumber}); nothing was published.`,
    );
  }
  const { events, skipped, warnings } = saftZReportEvents(parsed, options.tenantId);
  const topic = topicName('zReportClosed', options.topicPrefix ?? '');
  const published: SaftImportedReport[] = [];

  if (events.length > 0) {
    const producer: Producer = options.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    try {
      for (let i = 0; i < events.length; i += BATCH) {
        const batch = events.slice(i, i + BATCH);
        await producer.send({ topic, acks: -1, messages: batch.map((e) => encodeEnvelope(e)) });
        for (const e of batch) {
          const r = e.data;
          published.push({ eventId: e.id, registerId: r.registerId, zNumber: r.zNumber, businessDate: r.businessDate });
          options.onProgress?.({
            published: published.length,
            total: events.length,
            registerId: r.registerId,
            zNumber: r.zNumber,
            businessDate: r.businessDate,
          });
        }
      }
    } finally {
      await producer.disconnect();
    }
  }
  return {
    company: parsed.company,
    tenantId: options.tenantId,
    topic,
    found: parsed.zReports.length,
    published,
    skipped,
    warnings,
  };
}

/** One line per published or skipped report, for the CLI. */
export function describeSaftImport(summary: SaftImportSummary): string[] {
  return [
    `${summary.company.name} (${summary.company.ident}) → tenant ${summary.tenantId}: ${summary.published.length} of ${summary.found} Z-report(s) published to ${summary.topic}`,
    ...summary.published.map(
      (p) => `  published Z ${p.zNumber} register ${p.registerId} ${p.businessDate} (event ${p.eventId})`,
    ),
    ...summary.skipped.map((s) => `  skipped Z ${s.zNumber} register ${s.registerId} ${s.businessDate}: ${s.reason}`),
    ...summary.warnings.map((w) => `  warning: ${w}`),
  ];
}

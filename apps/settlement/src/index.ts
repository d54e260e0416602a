/**
 * What other parts of the integration (the console, its CLI) use of the settlement app: the operator
 * actions, the SAF-T import, and the module to embed them. The console reads states from the SQL
 * view settlement.status_view, never from the tables behind it.
 */
export { SettlementModule } from './settlement.module';
export type { SettlementModuleOptions } from './settlement.module';
export { SettlementConfig } from './settlement.config';
export { SettlementActions, SettlementActionError } from './settlement-actions.service';
export type { SettlementActionRefusal, SettlementActionResult } from './settlement-actions.service';
export { SettlementPoster } from './settlement-posting.job';
export type { PostingSummary } from './settlement-posting.job';
export { MissingSettlementCheck } from './missing-settlement.job';
export { SETTLEMENT_CLOCK, systemClock } from './clock';
export type { SettlementClock } from './clock';
export {
  importSaftFile,
  describeSaftImport,
  saftZReportEvents,
  saftZReportEventId,
  SAFT_IMPORT_SOURCE,
} from './saft/saft-import';
export type {
  SaftImportOptions,
  SaftImportProgress,
  SaftImportSummary,
  SaftImportedReport,
  SaftSkippedReport,
} from './saft/saft-import';
export type { SettlementState } from './domain/settlement';

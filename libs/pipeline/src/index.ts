/**
 * @lib/pipeline — the consumer runtime every flow runs on: decoding, tenant checks, the inbox,
 * retries, failure outcomes and dead letters, the transactional outbox and its relay, resync and
 * dead-letter tools, metrics and health. See `handler.ts` for the contract flows are written against.
 */
export type { FlowHandler, HandlerContext, HandlerResult, OutcomeSpec, ProcessingMode } from './handler';
export type { FlowOptions, ResolvedFlow } from './options';
export { flowTopicNames, resolveFlow } from './options';
export type { TenantDirectory } from './tenants';
export { FlowRuntime } from './flow-runtime';
export type { FlowRuntimeDeps } from './flow-runtime';
export { EventProcessor, recordEventId } from './processing/event-processor';
export type { EventResult, ProcessOptions } from './processing/event-processor';
export { DEFAULT_RETRY_POLICY, retryDelayMs, mayRetry } from './failure/retry-policy';
export type { RetryPolicy } from './failure/retry-policy';
export { classifyFailure, isDatabaseUnavailable } from './failure/classify';
export type { Failure, FailureKind } from './failure/classify';
export { OutboxRelay, DEFAULT_OUTBOX_RELAY_OPTIONS } from './outbox/outbox-relay';
export type { OutboxRelayOptions } from './outbox/outbox-relay';
export { OutcomeOutbox } from './outbox/outcome-outbox';
export { PipelineMetrics } from './metrics';
export { DeadLetters } from './dead-letter/dead-letters';
export type { DeadLetter, DeadLetterQuery, DeadLetterStatus, RedriveRequest } from './dead-letter/dead-letters';
export { DLQ_CONSUMER_GROUP_HEADER, REDRIVE_HEADER } from './dead-letter/dead-letter';
export type { ResyncRequest, ResyncSummary, ResyncProgress, ResyncItem } from './replay/resync';
export { PipelineModule } from './nest/pipeline.module';
export type { PipelineFlowModuleOptions } from './nest/pipeline.module';
export { PipelineTransport } from './nest/pipeline.transport';
export { connectPipeline } from './nest/connect-pipeline';
export { HandlerErrorPassthrough } from './nest/handler-error-passthrough.filter';

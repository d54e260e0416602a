import { topicName } from '@lib/contracts';
import { DeadLetter, DeadLetters } from '@lib/pipeline';
import { Caller } from '../action-log/action-log.repository';
import { ActionRecorder } from '../action-log/action-recorder';
import { consumedTopicKey } from '../domain/flow-topics';

export interface DeadLetterSelection {
  /** A consumed topic: contract key (`invoicePosted`), name (`pos.invoice-posted.v1`) or its `.dlq`. */
  topic: string;
  tenantId?: string;
}

/** The full name of the consumed topic an operator means, in this environment (TOPIC_PREFIX). */
export function consumedTopic(topic: string, topicPrefix: string): string {
  return topicName(consumedTopicKey(topic, topicPrefix), topicPrefix);
}

/** The dead letters of a consumed topic (optionally one tenant's), each with its current standing. */
export class ListDeadLetters {
  constructor(
    private readonly deadLetters: DeadLetters,
    private readonly topicPrefix: string,
  ) {}

  execute(selection: DeadLetterSelection): Promise<DeadLetter[]> {
    return this.deadLetters.list({ topic: consumedTopic(selection.topic, this.topicPrefix), tenantId: selection.tenantId });
  }
}

export interface RedriveCommand extends DeadLetterSelection {
  /** Only these events; default every parked one (of the tenant, if given). */
  eventIds?: string[];
}

export interface RedriveReport {
  topic: string;
  tenantId: string | null;
  redriven: DeadLetter[];
  /** Event ids asked for that were not parked (unknown, already redriven, or resolved). */
  notRedriven: string[];
}

/** Sends parked events back to the topic they came from, after the cause was fixed. */
export class RedriveDeadLetters {
  constructor(
    private readonly deadLetters: DeadLetters,
    private readonly recorder: ActionRecorder,
    private readonly topicPrefix: string,
  ) {}

  execute(caller: Caller, command: RedriveCommand): Promise<RedriveReport> {
    const topic = consumedTopic(command.topic, this.topicPrefix);
    return this.recorder.run(
      caller,
      { action: 'deadLetters.redrive', tenantId: command.tenantId ?? null, target: { topic, eventIds: command.eventIds ?? 'all parked' } },
      async () => {
        const redriven = await this.deadLetters.redrive({ topic, tenantId: command.tenantId, eventIds: command.eventIds });
        const sent = new Set(redriven.map((l) => l.eventId));
        return {
          topic,
          tenantId: command.tenantId ?? null,
          redriven,
          notRedriven: (command.eventIds ?? []).filter((id) => !sent.has(id)),
        };
      },
      (report) => ({ redriven: report.redriven.map((l) => l.eventId), notRedriven: report.notRedriven }),
    );
  }
}

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * What the apps' own JSON logs say about how they came through the faults: the mechanisms the
 * invariants rely on, seen at work (for the report; the invariants themselves are checked from outside).
 */
export interface LogEvidence {
  /** Settlements claimed back from a poster that crashed mid-post, looked up in PowerOffice before posting. */
  settlementsTakenOver: number;
  /** Events processed again after an earlier failed run (redrives, and copies of failed events). */
  processedAgain: number;
  /** Two members processed one event around a rebalance; the inbox let one commit. */
  answeredElsewhere: number;
  /** Consumer crashes kafkajs restarted from the last committed offset (broker or database away). */
  consumerCrashes: number;
  /** Retry waits cut short by a rebalance or shutdown; the event was delivered again. */
  abandoned: number;
}

export function readLogEvidence(logDir: string): LogEvidence {
  const evidence: LogEvidence = {
    settlementsTakenOver: 0,
    processedAgain: 0,
    answeredElsewhere: 0,
    consumerCrashes: 0,
    abandoned: 0,
  };
  for (const file of readdirSync(logDir).filter((f) => f.endsWith('.log'))) {
    for (const line of readFileSync(path.join(logDir, file), 'utf8').split('\n')) {
      if (!line.startsWith('{')) continue;
      let entry: { msg?: string; recovered?: number };
      try {
        entry = JSON.parse(line) as typeof entry;
      } catch {
        continue;
      }
      const msg = entry.msg ?? '';
      if (msg === 'due settlements processed') evidence.settlementsTakenOver += entry.recovered ?? 0;
      else if (msg.startsWith('processing again after an earlier failure')) evidence.processedAgain++;
      else if (msg.startsWith('another consumer answered the event first')) evidence.answeredElsewhere++;
      else if (msg === 'consumer crashed') evidence.consumerCrashes++;
      else if (msg.startsWith('abandoned during a retry wait')) evidence.abandoned++;
    }
  }
  return evidence;
}

import type { BenchReport } from './report';

/** What a benchmark scenario measures and says; the runner adds when, how long and the status. */
export type ScenarioResult = Pick<BenchReport, 'settings' | 'headline' | 'figures' | 'tables' | 'checks' | 'data'>;

export function say(text: string): void {
  console.log(`  ${text}`);
}

/** Seconds since `startedMs`, for progress lines. */
export function since(startedMs: number): string {
  return `${((Date.now() - startedMs) / 1000).toFixed(1)} s`;
}

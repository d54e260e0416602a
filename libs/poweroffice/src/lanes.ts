/**
 * Priority lanes of the shared API budget, highest first. An invoice is what a person at the till
 * waits for; a replay is what an operator started in bulk and can wait for everything else.
 */
export const LANES = ['invoice', 'settlement', 'customer', 'article', 'replay'] as const;
export type Lane = (typeof LANES)[number];

export function isLane(value: unknown): value is Lane {
  return typeof value === 'string' && (LANES as readonly string[]).includes(value);
}

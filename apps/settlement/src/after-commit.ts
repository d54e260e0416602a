import type { DataSource, EntityManager, EntitySubscriberInterface, TransactionCommitEvent } from 'typeorm';

/**
 * Runs `fn` once the transaction of `tx` has committed (never on a rollback). The pipeline commits
 * a handler's `persist` itself, so this is how a settlement that is due at once reaches the poster
 * without waiting for its next poll: TypeORM's query runner carries `data` for its subscribers.
 */
export function afterCommit(tx: EntityManager, fn: () => void): void {
  const runner = tx.queryRunner;
  if (!runner) return;
  const data = runner.data as { afterCommit?: Array<() => void> };
  (data.afterCommit ??= []).push(fn);
}

const installed = new WeakSet<DataSource>();

/** Makes `afterCommit` work on a DataSource (once per DataSource). */
export function installAfterCommit(dataSource: DataSource): void {
  if (installed.has(dataSource)) return;
  installed.add(dataSource);
  const subscriber: EntitySubscriberInterface = {
    afterTransactionCommit(event: TransactionCommitEvent): void {
      const data = event.queryRunner.data as { afterCommit?: Array<() => void> };
      const callbacks = data.afterCommit;
      if (!callbacks) return;
      data.afterCommit = undefined;
      for (const fn of callbacks) fn();
    },
  };
  (dataSource.subscribers as EntitySubscriberInterface[]).push(subscriber);
}

/**
 * The one thing the PostgreSQL parts need from a database handle: TypeORM's `DataSource.query`
 * (a `DataSource` or `EntityManager` fits). Kept this narrow so the core does not depend on how an
 * app builds its connection.
 */
export interface SqlQueryable {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  query(sql: string, parameters?: unknown[]): Promise<any>;
}

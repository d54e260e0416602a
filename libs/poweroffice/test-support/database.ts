import { DataSource } from 'typeorm';

/** A bare TypeORM DataSource on the test run's database (migrations already applied by the global setup). */
export async function openTestDatabase(): Promise<DataSource> {
  const url = process.env.DATABASE_URL;
  if (!url)
    throw new Error('DATABASE_URL is not set: run integration tests through jest (the global setup provides it).');
  const ds = new DataSource({ type: 'postgres', url, extra: { max: 5, application_name: 'poweroffice-tests' } });
  await ds.initialize();
  return ds;
}

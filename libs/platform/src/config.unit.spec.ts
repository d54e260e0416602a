import { BaseConfig, ConfigError, loadEnv } from './config';
import { redact } from './logger';

class AppConfig extends BaseConfig {
  override PORT = 3999;
}

describe('loadEnv', () => {
  it('uses defaults for local runs when nothing is set', () => {
    const c = loadEnv(AppConfig, {});
    expect(c.KAFKA_BROKERS).toBe('127.0.0.1:9092');
    expect(c.PORT).toBe(3999);
    expect(c.DB_MIGRATE_ON_START).toBe(true);
  });

  it('reads and converts values from the environment', () => {
    const c = loadEnv(AppConfig, { PORT: '4100', DB_MIGRATE_ON_START: 'false', KAFKA_BROKERS: 'a:1,b:2' });
    expect(c).toMatchObject({ PORT: 4100, DB_MIGRATE_ON_START: false, KAFKA_BROKERS: 'a:1,b:2' });
  });

  it('names every malformed setting at once', () => {
    let error: unknown;
    try {
      loadEnv(AppConfig, { PORT: 'eighty', KAFKA_BROKERS: 'localhost', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/PORT must be an integer/);
    expect(problems).toMatch(/KAFKA_BROKERS must be a comma-separated list of host:port/);
    expect(problems).toMatch(/DATABASE_URL must be a postgres:\/\/ connection URL/);
    expect(problems).toMatch(/LOG_LEVEL must be one of/);
    expect((error as ConfigError).problems).toHaveLength(4);
  });
});

describe('redact', () => {
  it('hides secret-looking fields at any depth', () => {
    const out = redact({ tenantId: 't1', clientKey: 'abc', nested: { Authorization: 'Bearer x', list: [{ access_token: 'y' }] } });
    expect(JSON.stringify(out)).not.toMatch(/abc|Bearer x|"y"/);
    expect(out).toMatchObject({ tenantId: 't1', clientKey: '[redacted]' });
  });
});

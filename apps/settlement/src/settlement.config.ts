import { Transform } from 'class-transformer';
import { IsInt, IsString, Matches, Max, Min } from 'class-validator';
import { BaseConfig } from '@lib/platform';

const toInt = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : /^-?\d+$/.test(String(value)) ? Number(value) : value;

/** The settlement app's settings: the platform's, PowerOffice's, and when and how it posts. */
export class SettlementConfig extends BaseConfig {
  override PORT = 3003;

  // PowerOffice (validated by @lib/poweroffice; empty = its default: the local emulator and its dev keys).
  @IsString() POWEROFFICE_BASE_URL = '';
  @IsString() POWEROFFICE_APPLICATION_KEY = '';
  @IsString() POWEROFFICE_SUBSCRIPTION_KEY = '';
  @IsString() POWEROFFICE_RATE_LIMIT = '';
  @IsString() POWEROFFICE_TIMEOUT_MS = '';

  /** How often due settlements are looked for; 0 = never by itself (only `postDue` calls, e.g. tests). */
  @Transform(toInt)
  @Min(0)
  @IsInt({ message: 'SETTLEMENT_POLL_INTERVAL_MS must be an integer (ms; 0 = off)' })
  SETTLEMENT_POLL_INTERVAL_MS = 5000;

  /** Settlements posted at the same time by one instance; the shared API budget paces the calls. */
  @Transform(toInt)
  @Min(1)
  @Max(64)
  @IsInt({ message: 'SETTLEMENT_POST_CONCURRENCY must be an integer from 1 to 64' })
  SETTLEMENT_POST_CONCURRENCY = 4;

  /** Posting attempts of one settlement before RETRIES_EXHAUSTED (transient failures only). */
  @Transform(toInt)
  @Min(1)
  @IsInt({ message: 'SETTLEMENT_MAX_ATTEMPTS must be a positive integer' })
  SETTLEMENT_MAX_ATTEMPTS = 8;

  /** Wait after the first failed attempt; doubles per attempt up to SETTLEMENT_RETRY_MAX_MS. */
  @Transform(toInt)
  @Min(0)
  @IsInt({ message: 'SETTLEMENT_RETRY_BASE_MS must be an integer (ms)' })
  SETTLEMENT_RETRY_BASE_MS = 30_000;

  @Transform(toInt)
  @Min(0)
  @IsInt({ message: 'SETTLEMENT_RETRY_MAX_MS must be an integer (ms)' })
  SETTLEMENT_RETRY_MAX_MS = 30 * 60_000;

  /** A poster that holds a settlement longer than this is taken to have crashed; another takes over. */
  @Transform(toInt)
  @Min(1000)
  @IsInt({ message: 'SETTLEMENT_POSTING_LEASE_MS must be an integer ≥ 1000 (ms)' })
  SETTLEMENT_POSTING_LEASE_MS = 10 * 60_000;

  /** When the missing-day check runs (cron, Europe/Oslo); "off" disables it. */
  @IsString()
  @Matches(/^(off|(\S+\s+){4,5}\S+)$/, {
    message: 'SETTLEMENT_MISSING_CHECK_CRON must be a cron expression (5 or 6 fields) or "off"',
  })
  SETTLEMENT_MISSING_CHECK_CRON = '30 6 * * *';

  /** Oslo time on the next day by which a day's Z-report is expected. */
  @Matches(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'SETTLEMENT_MISSING_CUTOFF must be a time HH:MM' })
  SETTLEMENT_MISSING_CUTOFF = '06:00';

  /** Days looked back over; a register silent for longer is taken to be out of use and no longer reported. */
  @Transform(toInt)
  @Min(1)
  @Max(366)
  @IsInt({ message: 'SETTLEMENT_MISSING_LOOKBACK_DAYS must be an integer from 1 to 366' })
  SETTLEMENT_MISSING_LOOKBACK_DAYS = 7;
}

/** The POWEROFFICE_* settings as the environment @lib/poweroffice reads them. */
export function powerOfficeEnv(config: SettlementConfig): NodeJS.ProcessEnv {
  return {
    POWEROFFICE_BASE_URL: config.POWEROFFICE_BASE_URL,
    POWEROFFICE_APPLICATION_KEY: config.POWEROFFICE_APPLICATION_KEY,
    POWEROFFICE_SUBSCRIPTION_KEY: config.POWEROFFICE_SUBSCRIPTION_KEY,
    POWEROFFICE_RATE_LIMIT: config.POWEROFFICE_RATE_LIMIT,
    POWEROFFICE_TIMEOUT_MS: config.POWEROFFICE_TIMEOUT_MS,
  };
}

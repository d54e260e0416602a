import { Transform } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { BaseConfig } from '@lib/platform';

const toInt = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : /^-?\d+$/.test(String(value)) ? Number(value) : value;

export class CustomerSyncConfig extends BaseConfig {
  override PORT = 3001;

  /** How often each tenant's PowerOffice customers are polled for changes; 0 turns the poll off. */
  @Transform(toInt)
  @Min(0)
  @IsInt({ message: 'CUSTOMER_POLL_INTERVAL_MS must be an integer (milliseconds; 0 = no poll)' })
  CUSTOMER_POLL_INTERVAL_MS = 180_000;

  /**
   * How far before the watermark each poll reads again: PowerOffice's lists read from a replica
   * that lags 1–2 s, so a change can appear after a newer one was already seen.
   */
  @Transform(toInt)
  @Min(0)
  @Max(600_000)
  @IsInt({ message: 'CUSTOMER_POLL_OVERLAP_MS must be an integer (milliseconds)' })
  CUSTOMER_POLL_OVERLAP_MS = 5_000;

  /** Customers per page of the poll (PowerOffice allows up to 20000). */
  @Transform(toInt)
  @Min(1)
  @Max(20_000)
  @IsInt({ message: 'CUSTOMER_POLL_PAGE_SIZE must be an integer from 1 to 20000' })
  CUSTOMER_POLL_PAGE_SIZE = 5_000;
}

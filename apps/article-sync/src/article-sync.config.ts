import { Transform } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { BaseConfig } from '@lib/platform';

/**
 * The app's settings (env, validated at start). PowerOffice's (POWEROFFICE_BASE_URL, _RATE_LIMIT,
 * keys) and the tenant-key encryption key are read and checked by @lib/poweroffice and @lib/tenancy.
 */
export class ArticleSyncConfig extends BaseConfig {
  override PORT = 3002;

  /**
   * Partitions of pos.article-changed.v1 this instance works on at once. The API budget, not this,
   * bounds throughput; a few keep the budget busy while others wait on PostgreSQL.
   */
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value,
  )
  @IsInt({ message: 'ARTICLE_SYNC_CONCURRENCY must be an integer' })
  @Min(1)
  @Max(64)
  ARTICLE_SYNC_CONCURRENCY = 3;
}

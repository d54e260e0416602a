import { BaseConfig } from '@lib/platform';

export class ArticleSyncConfig extends BaseConfig {
  override PORT = 3002;
}

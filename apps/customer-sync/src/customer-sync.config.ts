import { BaseConfig } from '@lib/platform';

export class CustomerSyncConfig extends BaseConfig {
  override PORT = 3001;
}

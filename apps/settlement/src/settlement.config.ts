import { BaseConfig } from '@lib/platform';

export class SettlementConfig extends BaseConfig {
  override PORT = 3003;
}

import { BaseConfig } from '@lib/platform';

export class InvoiceConfig extends BaseConfig {
  override PORT = 3004;
}

import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsString, Min } from 'class-validator';
import { BaseConfig } from '@lib/platform';

const toInt = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : /^-?\d+$/.test(String(value)) ? Number(value) : value;
const toBool = ({ value }: { value: unknown }) => {
  const v = String(value).toLowerCase();
  return v === 'true' || v === '1' ? true : v === 'false' || v === '0' ? false : value;
};

export class InvoiceConfig extends BaseConfig {
  override PORT = 3004;

  /**
   * How long an invoice waits for a customer whose CustomerChanged has arrived but whom customer
   * sync has not created in PowerOffice yet; then it is rejected as CUSTOMER_NOT_FOUND.
   */
  @Transform(toInt)
  @Min(0)
  @IsInt({ message: 'INVOICE_CUSTOMER_WAIT_MS must be an integer (milliseconds)' })
  INVOICE_CUSTOMER_WAIT_MS = 8000;

  /** In sales-order mode: let PowerOffice issue and send the invoice (createAndSendInvoice) at once. */
  @Transform(toBool)
  @IsBoolean({ message: 'INVOICE_SEND_FROM_POWEROFFICE must be true or false' })
  INVOICE_SEND_FROM_POWEROFFICE = false;

  // The PowerOffice client's own settings (validated by @lib/poweroffice); empty = its default.
  @IsString() POWEROFFICE_BASE_URL = '';
  @IsString() POWEROFFICE_APPLICATION_KEY = '';
  @IsString() POWEROFFICE_SUBSCRIPTION_KEY = '';
  @IsString() POWEROFFICE_RATE_LIMIT = '';
  @IsString() POWEROFFICE_TIMEOUT_MS = '';
}

/** The POWEROFFICE_* settings in the shape `powerOfficeConfigFromEnv` reads. */
export function powerOfficeEnv(config: InvoiceConfig): NodeJS.ProcessEnv {
  return {
    POWEROFFICE_BASE_URL: config.POWEROFFICE_BASE_URL,
    POWEROFFICE_APPLICATION_KEY: config.POWEROFFICE_APPLICATION_KEY,
    POWEROFFICE_SUBSCRIPTION_KEY: config.POWEROFFICE_SUBSCRIPTION_KEY,
    POWEROFFICE_RATE_LIMIT: config.POWEROFFICE_RATE_LIMIT,
    POWEROFFICE_TIMEOUT_MS: config.POWEROFFICE_TIMEOUT_MS,
  };
}

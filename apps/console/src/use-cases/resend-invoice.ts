import { entityKey, topicName } from '@lib/contracts';
import { DeadLetter, DeadLetters } from '@lib/pipeline';
import { TenantService } from '@lib/tenancy';
import { Caller } from '../action-log/action-log.repository';
import { ActionRecorder } from '../action-log/action-recorder';
import { conflict, notFound } from '../domain/console-errors';
import { StatusRepository } from '../status/status.repository';

export interface InvoiceResend {
  tenantId: string;
  invoiceId: string;
  /** The parked InvoicePosted events sent back to the invoice flow. */
  redriven: DeadLetter[];
}

/**
 * Sends a rejected invoice to PowerOffice again after the fix (customer created, mapping set …):
 * its parked InvoicePosted event goes back to the invoice flow, which answers with a new outcome.
 */
export class ResendInvoice {
  constructor(
    private readonly tenants: TenantService,
    private readonly deadLetters: DeadLetters,
    private readonly status: StatusRepository,
    private readonly recorder: ActionRecorder,
    private readonly topicPrefix: string,
  ) {}

  execute(caller: Caller, tenantId: string, invoiceId: string): Promise<InvoiceResend> {
    return this.recorder.run(
      caller,
      { action: 'invoice.resend', tenantId, target: { invoiceId } },
      async () => {
        if (!(await this.tenants.get(tenantId))) throw notFound(`Tenant ${tenantId} is not onboarded`);
        const topic = topicName('invoicePosted', this.topicPrefix);
        const key = entityKey(tenantId, invoiceId);
        const letters = (await this.deadLetters.list({ topic, tenantId })).filter((l) => l.key === key);
        const parked = [...new Set(letters.filter((l) => l.status === 'parked').map((l) => l.eventId))];
        if (parked.length === 0) throw await this.nothingParked(tenantId, invoiceId, letters);
        const redriven = await this.deadLetters.redrive({ topic, tenantId, eventIds: parked });
        return { tenantId, invoiceId, redriven };
      },
      (r) => ({ redriven: r.redriven.map((l) => l.eventId) }),
    );
  }

  /** Why there is nothing to resend, in words the operator can act on. */
  private async nothingParked(tenantId: string, invoiceId: string, letters: DeadLetter[]): Promise<Error> {
    const row = await this.status.invoice(tenantId, invoiceId);
    const redriven = letters.find((l) => l.status === 'redriven');
    if (redriven) {
      return conflict(
        `Invoice ${invoiceId} of tenant ${tenantId} was already sent again and waits for the invoice app to process it; look at its status in a moment`,
      );
    }
    if (letters.some((l) => l.status === 'resolved') || (row && row.state !== 'rejected' && row.state !== 'failed')) {
      return conflict(
        `Invoice ${invoiceId} of tenant ${tenantId} has no rejected event to resend${row ? ` (state: ${row.state})` : ''}`,
      );
    }
    return notFound(
      `No parked InvoicePosted event for invoice ${invoiceId} of tenant ${tenantId}` +
        `${row ? ` (state: ${row.state}${row.errorMessage ? `: ${row.errorMessage}` : ''})` : ''}. ` +
        'If it was never received, ask Open One to send it again, or resync the tenant from the invoice date.',
    );
  }
}

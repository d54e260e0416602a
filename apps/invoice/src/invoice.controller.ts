import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import type { InvoicePosted } from '@lib/contracts';
import type { HandlerContext, HandlerResult } from '@lib/pipeline';
import { InvoiceTransfer } from './invoice-transfer';

/** Where InvoicePosted arrives (through the pipeline: inbox, retries, outcome, dead letter). */
@Controller()
export class InvoiceController {
  constructor(private readonly transfer: InvoiceTransfer) {}

  @EventPattern('InvoicePosted')
  invoicePosted(@Payload() ctx: HandlerContext<InvoicePosted>): Promise<HandlerResult> {
    return this.transfer.handle(ctx);
  }
}

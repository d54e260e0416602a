import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import type { CustomerChanged } from '@lib/contracts';
import type { HandlerContext, HandlerResult } from '@lib/pipeline';
import { SyncCustomerToPowerOffice } from './sync-customer-to-poweroffice';

/** Where CustomerChanged arrives (through the pipeline: inbox, retries, outcomes, dead letters). */
@Controller()
export class CustomerChangedController {
  constructor(private readonly syncCustomer: SyncCustomerToPowerOffice) {}

  @EventPattern('CustomerChanged')
  customerChanged(@Payload() ctx: HandlerContext<CustomerChanged>): Promise<HandlerResult> {
    return this.syncCustomer.execute(ctx);
  }
}

import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import type { HandlerContext, HandlerResult } from '@lib/pipeline';
import type { ZReportClosed } from './domain/z-report';
import { ZReportIntake } from './z-report-intake';

/** Where Open One's Z-reports arrive (pos.z-report-closed.v1, through the pipeline). */
@Controller()
export class ZReportController {
  constructor(private readonly intake: ZReportIntake) {}

  @EventPattern('ZReportClosed')
  zReportClosed(@Payload() ctx: HandlerContext<ZReportClosed>): Promise<HandlerResult> {
    return this.intake.receive(ctx);
  }
}

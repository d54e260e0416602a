import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { DeadLetter } from '@lib/pipeline';
import type { Caller } from '../action-log/action-log.repository';
import { CallerOf } from '../access/operator.guard';
import { notFound } from '../domain/console-errors';
import { ListDeadLetters, RedriveDeadLetters, RedriveReport } from '../use-cases/dead-letters';
import { InvoiceResend, ResendInvoice } from '../use-cases/resend-invoice';
import { RepostSettlement, ResendSettlement, SettlementActionResult } from '../use-cases/settlement-actions';
import { DeadLetterQuery, InvoiceParams, RedriveDto, ResyncDto, ResyncParams, SettlementParams } from './dto/actions.dto';
import { TenantIdParams } from './dto/tenant.dto';
import { ResyncJob, ResyncJobs } from './resync-jobs';

/** Fixing what failed: resend, repost, resync, redrive. Every call is recorded in the action log. */
@ApiTags('actions')
@ApiBearerAuth()
@Controller()
export class ActionsController {
  constructor(
    private readonly resendSettlement: ResendSettlement,
    private readonly repostSettlement: RepostSettlement,
    private readonly resendInvoice: ResendInvoice,
    private readonly resyncJobs: ResyncJobs,
    private readonly listDeadLetters: ListDeadLetters,
    private readonly redriveDeadLetters: RedriveDeadLetters,
  ) {}

  @Post('tenants/:id/settlements/:registerId/:z/resend')
  @HttpCode(200)
  @ApiOperation({ summary: 'Resend a failed settlement after the fix: the voucher is rebuilt and posted now' })
  resend(@CallerOf() caller: Caller, @Param() p: SettlementParams): Promise<SettlementActionResult> {
    return this.resendSettlement.execute(caller, { tenantId: p.id, registerId: p.registerId, zNumber: p.z });
  }

  @Post('tenants/:id/settlements/:registerId/:z/repost')
  @HttpCode(200)
  @ApiOperation({ summary: 'Repost a day: reverse its voucher and post the report again' })
  repost(@CallerOf() caller: Caller, @Param() p: SettlementParams): Promise<SettlementActionResult> {
    return this.repostSettlement.execute(caller, { tenantId: p.id, registerId: p.registerId, zNumber: p.z });
  }

  @Post('tenants/:id/invoices/:invoiceId/resend')
  @HttpCode(200)
  @ApiOperation({ summary: 'Resend a rejected invoice after the fix (redrives its parked event)' })
  resendInvoiceEvent(@CallerOf() caller: Caller, @Param() p: InvoiceParams): Promise<InvoiceResend> {
    return this.resendInvoice.execute(caller, p.id, p.invoiceId);
  }

  @Post('tenants/:id/resync')
  @HttpCode(202)
  @ApiOperation({
    summary: "Replay a tenant's events from a time through the flows (dryRun: show what would change)",
    description: 'Runs in the background; follow it at GET /tenants/{id}/resync/{jobId}.',
  })
  @ApiAcceptedResponse({ description: 'The job, with its id' })
  resync(@CallerOf() caller: Caller, @Param() { id }: TenantIdParams, @Body() body: ResyncDto): Promise<ResyncJob> {
    return this.resyncJobs.start(caller, { tenantId: id, topics: body.topics, since: body.since, dryRun: body.dryRun });
  }

  @Get('tenants/:id/resync/:jobId')
  @ApiOperation({ summary: 'A resync job: progress while running, the summary (seen/changed/unchanged/failed) when finished' })
  resyncJob(@Param() p: ResyncParams): ResyncJob {
    const job = this.resyncJobs.get(p.id, p.jobId);
    if (!job) throw notFound(`No resync job ${p.jobId} for tenant ${p.id} in this console process`);
    return job;
  }

  @Get('dead-letters')
  @ApiOperation({ summary: 'Parked events of a consumed topic (optionally one tenant), each with its standing' })
  deadLetters(@Query() query: DeadLetterQuery): Promise<DeadLetter[]> {
    return this.listDeadLetters.execute(query);
  }

  @Post('dead-letters/redrive')
  @HttpCode(200)
  @ApiOperation({ summary: 'Send parked events back to their topic (all parked, one tenant\'s, or the ids given)' })
  redrive(@CallerOf() caller: Caller, @Body() body: RedriveDto): Promise<RedriveReport> {
    return this.redriveDeadLetters.execute(caller, body);
  }
}

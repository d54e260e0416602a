import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ReadStatusOverview, ReadTenantStatus, StatusOverview, TenantStatus } from '../use-cases/read-status';
import { StatusQuery, TenantIdParams } from './dto/tenant.dto';

@ApiTags('status')
@ApiBearerAuth()
@Controller()
export class StatusController {
  constructor(
    private readonly overview: ReadStatusOverview,
    private readonly tenantStatus: ReadTenantStatus,
  ) {}

  @Get('status')
  @ApiOperation({ summary: 'Every tenant, those with anything failed or missing first' })
  all(): Promise<StatusOverview> {
    return this.overview.execute();
  }

  @Get('tenants/:id/status')
  @ApiOperation({
    summary: "A tenant's days and registers, invoices, customers, articles, parked events and PowerOffice calls",
    description: 'A part whose flow is not deployed is {available: false, reason}.',
  })
  tenant(@Param() { id }: TenantIdParams, @Query() query: StatusQuery): Promise<TenantStatus> {
    return this.tenantStatus.execute(id, { days: query.days });
  }
}

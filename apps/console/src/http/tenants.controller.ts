import { Body, Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AccountMappingRecord, AuditEntry, SettlementSchedule, Tenant, TenantService } from '@lib/tenancy';
import type { Caller } from '../action-log/action-log.repository';
import { CallerOf } from '../access/operator.guard';
import { notFound } from '../domain/console-errors';
import { CheckAccountMapping, MappingCheck, SetAccountMapping, ShowAccountMapping } from '../use-cases/account-mapping';
import { OnboardTenant } from '../use-cases/onboard-tenant';
import { SetInvoiceMode, SetSettlementSchedule, SetTenantEnabled, VerifyTenant } from '../use-cases/tenant-settings';
import { InvoiceModeDto, OnboardTenantDto, ScheduleDto, SetMappingDto, TenantIdParams } from './dto/tenant.dto';

/** Onboarding and setting up a shop: tenant, account mapping, settlement schedule, invoice mode. */
@ApiTags('tenants')
@ApiBearerAuth()
@Controller('tenants')
export class TenantsController {
  constructor(
    private readonly tenants: TenantService,
    private readonly onboardTenant: OnboardTenant,
    private readonly setAccountMapping: SetAccountMapping,
    private readonly checkAccountMapping: CheckAccountMapping,
    private readonly showAccountMapping: ShowAccountMapping,
    private readonly setSchedule: SetSettlementSchedule,
    private readonly setMode: SetInvoiceMode,
    private readonly setEnabled: SetTenantEnabled,
    private readonly verifyTenant: VerifyTenant,
  ) {}

  @Post()
  @ApiOperation({
    summary: 'Onboard a shop',
    description:
      'Checks the client key against PowerOffice at once (token, then the integration privileges; each missing one is named), ' +
      'reads the chart of accounts, VAT codes and customer number series, stores the key encrypted. The key is never returned.',
  })
  @ApiCreatedResponse({ description: 'The tenant (without its key)' })
  onboard(@CallerOf() caller: Caller, @Body() body: OnboardTenantDto): Promise<Tenant> {
    return this.onboardTenant.execute(caller, body);
  }

  @Get()
  @ApiOperation({ summary: 'Every tenant' })
  list(): Promise<Tenant[]> {
    return this.tenants.list();
  }

  @Get(':id')
  @ApiOperation({ summary: 'One tenant' })
  async get(@Param() { id }: TenantIdParams): Promise<Tenant> {
    const tenant = await this.tenants.get(id);
    if (!tenant) throw notFound(`Tenant ${id} is not onboarded`);
    return tenant;
  }

  @Get(':id/audit')
  @ApiOperation({ summary: "The tenant's change history (who changed what, before/after, when), newest first" })
  audit(@Param() { id }: TenantIdParams): Promise<AuditEntry[]> {
    return this.tenants.auditLog(id, 200);
  }

  @Get(':id/mapping')
  @ApiOperation({ summary: 'The stored account mapping, its version and who saved it' })
  mapping(@Param() { id }: TenantIdParams): Promise<AccountMappingRecord> {
    return this.showAccountMapping.execute(id);
  }

  @Put(':id/mapping')
  @ApiOperation({
    summary: 'Set the account mapping (or apply a preset)',
    description: 'Checked against the tenant\'s chart of accounts and VAT codes; rejected as a whole (422) with every problem naming its key and account.',
  })
  @ApiOkResponse({ description: 'The stored mapping with its new version' })
  setMapping(@CallerOf() caller: Caller, @Param() { id }: TenantIdParams, @Body() body: SetMappingDto): Promise<AccountMappingRecord> {
    return this.setAccountMapping.execute(caller, id, body);
  }

  @Post(':id/mapping/check')
  @HttpCode(200)
  @ApiOperation({ summary: 'Check a mapping without saving: the stored one (empty body) or the one given' })
  checkMapping(@Param() { id }: TenantIdParams, @Body() body: SetMappingDto): Promise<MappingCheck> {
    return this.checkAccountMapping.execute(id, body);
  }

  @Put(':id/schedule')
  @ApiOperation({ summary: 'When settlements are posted: {"mode":"afterEndOfDay"} or {"mode":"at","time":"HH:MM"} (Europe/Oslo)' })
  schedule(@CallerOf() caller: Caller, @Param() { id }: TenantIdParams, @Body() body: ScheduleDto): Promise<Tenant> {
    // Passed on as given: tenancy refuses a time with "afterEndOfDay", naming it.
    const schedule = { mode: body.mode, ...(body.time !== undefined ? { time: body.time } : {}) } as SettlementSchedule;
    return this.setSchedule.execute(caller, id, schedule);
  }

  @Put(':id/invoice-mode')
  @ApiOperation({ summary: 'How invoices reach PowerOffice: "voucher" or "salesOrder"' })
  invoiceMode(@CallerOf() caller: Caller, @Param() { id }: TenantIdParams, @Body() body: InvoiceModeDto): Promise<Tenant> {
    return this.setMode.execute(caller, id, body.invoiceMode);
  }

  @Post(':id/disable')
  @HttpCode(200)
  @ApiOperation({ summary: "Disable a tenant: its events are held, not posted" })
  disable(@CallerOf() caller: Caller, @Param() { id }: TenantIdParams): Promise<Tenant> {
    return this.setEnabled.execute(caller, id, false);
  }

  @Post(':id/enable')
  @HttpCode(200)
  @ApiOperation({ summary: 'Enable a tenant again' })
  enable(@CallerOf() caller: Caller, @Param() { id }: TenantIdParams): Promise<Tenant> {
    return this.setEnabled.execute(caller, id, true);
  }

  @Post(':id/verify')
  @HttpCode(200)
  @ApiOperation({ summary: 'Ask PowerOffice again whether the stored key works and has every privilege' })
  verify(@CallerOf() caller: Caller, @Param() { id }: TenantIdParams): Promise<Tenant> {
    return this.verifyTenant.execute(caller, id);
  }
}

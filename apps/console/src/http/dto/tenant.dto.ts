import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsNotEmpty, IsObject, IsOptional, IsString, Matches, MaxLength, Min, ValidateIf } from 'class-validator';
import type { AccountMapping, InvoiceMode } from '@lib/tenancy';
import { TENANT_ID_PATTERN } from '@lib/tenancy';

export class TenantIdParams {
  @ApiProperty({ example: 'kaffebrenneriet-01' })
  @Matches(TENANT_ID_PATTERN, { message: 'id must be 1–64 letters, digits, "_", "." or "-", starting with a letter or digit' })
  id!: string;
}

export class OnboardTenantDto {
  @ApiProperty({ example: 'kaffebrenneriet-01', description: 'Tenant id used in every Kafka key (<tenantId>:<entity>)' })
  @Matches(TENANT_ID_PATTERN, { message: 'id must be 1–64 letters, digits, "_", "." or "-", starting with a letter or digit' })
  id!: string;

  @ApiProperty({ example: 'Kaffebrenneriet Grünerløkka AS' })
  @IsString({ message: 'name must be a text' })
  @IsNotEmpty({ message: 'name is required' })
  @MaxLength(200, { message: 'name must be at most 200 characters' })
  name!: string;

  @ApiProperty({ example: '999888777', description: '9 digits; spaces as printed are allowed' })
  @IsString({ message: 'organizationNumber must be a text' })
  @Matches(/^\s*\d{3}\s?\d{3}\s?\d{3}\s*$/, { message: 'organizationNumber must be 9 digits (Norwegian organisation number)' })
  organizationNumber!: string;

  @ApiProperty({
    description: 'The client key from adding the "Open One" extension in PowerOffice Go. Checked at once, stored encrypted, never returned.',
    writeOnly: true,
  })
  @IsString({ message: 'clientKey must be a text' })
  @IsNotEmpty({ message: 'clientKey is required' })
  @MaxLength(200, { message: 'clientKey must be at most 200 characters' })
  clientKey!: string;
}

export class SetMappingDto {
  @ApiPropertyOptional({ enum: ['ns4102'], description: 'A ready-made mapping; give this or `mapping`' })
  @IsOptional()
  @IsIn(['ns4102'], { message: 'preset must be "ns4102"' })
  preset?: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'The account mapping: payments, sales per VAT code, salesByArticleGroup, giftCardsSold, tips, rounding, cashDifference, invoiceSales, departments',
    example: { payments: { cash: { account: 1900 }, card: { account: 1910 } }, sales: { '3': { account: 3000 } } },
  })
  @IsOptional()
  @IsObject({ message: 'mapping must be a JSON object' })
  mapping?: AccountMapping;

  @ApiPropertyOptional({ description: 'The version being edited; refused (400) when another was saved meanwhile' })
  @IsOptional()
  @IsInt({ message: 'expectedVersion must be a whole number' })
  @Min(0, { message: 'expectedVersion must be 0 or more' })
  expectedVersion?: number;
}

export class ScheduleDto {
  @ApiProperty({ enum: ['afterEndOfDay', 'at'] })
  @IsIn(['afterEndOfDay', 'at'], { message: 'mode must be "afterEndOfDay" or "at"' })
  mode!: 'afterEndOfDay' | 'at';

  @ApiPropertyOptional({ example: '06:00', description: 'Local time Europe/Oslo, with mode "at"' })
  @ValidateIf((o: ScheduleDto) => o.mode === 'at' || o.time !== undefined)
  @Matches(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'time must be a local time HH:MM (00:00–23:59)' })
  time?: string;
}

export class InvoiceModeDto {
  @ApiProperty({ enum: ['voucher', 'salesOrder'] })
  @IsIn(['voucher', 'salesOrder'], { message: 'invoiceMode must be "voucher" or "salesOrder"' })
  invoiceMode!: InvoiceMode;
}

export class StatusQuery {
  @ApiPropertyOptional({ description: 'Business days shown (failed, missing and pending ones always are)', default: 31 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'days must be a whole number' })
  @Min(1, { message: 'days must be at least 1' })
  days?: number;
}

export class EnabledDto {
  @IsBoolean()
  enabled!: boolean;
}

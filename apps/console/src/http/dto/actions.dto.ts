import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsInt, IsISO8601, IsNotEmpty, IsOptional, IsString, Matches, Min } from 'class-validator';
import { TENANT_ID_PATTERN } from '@lib/tenancy';

const TENANT_ID_MESSAGE = 'must be a tenant id (1–64 letters, digits, "_", "." or "-")';

export class SettlementParams {
  @ApiProperty()
  @Matches(TENANT_ID_PATTERN, { message: `id ${TENANT_ID_MESSAGE}` })
  id!: string;

  @ApiProperty({ example: 'K1' })
  @IsString()
  @IsNotEmpty({ message: 'registerId is required' })
  registerId!: string;

  @ApiProperty({ example: 1042 })
  @Type(() => Number)
  @IsInt({ message: 'z must be a whole Z number' })
  @Min(1, { message: 'z must be 1 or more' })
  z!: number;
}

export class InvoiceParams {
  @ApiProperty()
  @Matches(TENANT_ID_PATTERN, { message: `id ${TENANT_ID_MESSAGE}` })
  id!: string;

  @ApiProperty({ example: 'inv-20250301-17' })
  @IsString()
  @IsNotEmpty({ message: 'invoiceId is required' })
  invoiceId!: string;
}

export class ResyncParams {
  @ApiProperty()
  @Matches(TENANT_ID_PATTERN, { message: `id ${TENANT_ID_MESSAGE}` })
  id!: string;

  @ApiProperty()
  @IsString()
  jobId!: string;
}

export class ResyncDto {
  @ApiPropertyOptional({
    type: [String],
    example: ['customerChanged', 'pos.article-changed.v1'],
    description: 'Consumed topics (contract key or name); default every one',
  })
  @IsOptional()
  @IsArray({ message: 'topics must be a list of topic names' })
  @IsString({ each: true, message: 'each topic must be a text' })
  topics?: string[];

  @ApiProperty({ example: '2025-03-01T00:00:00+01:00', description: 'Events from this time on are replayed' })
  @IsISO8601({ strict: true }, { message: 'since must be an ISO 8601 time, e.g. 2025-03-01T00:00:00+01:00' })
  since!: string;

  @ApiPropertyOptional({ default: false, description: 'Show what would change, change nothing' })
  @IsOptional()
  @IsBoolean({ message: 'dryRun must be true or false' })
  dryRun?: boolean;
}

export class DeadLetterQuery {
  @ApiProperty({ example: 'invoicePosted', description: 'Consumed topic: contract key, name, or its .dlq' })
  @IsString({ message: 'topic must be a text' })
  @IsNotEmpty({ message: 'topic is required' })
  topic!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(TENANT_ID_PATTERN, { message: `tenantId ${TENANT_ID_MESSAGE}` })
  tenantId?: string;
}

export class RedriveDto extends DeadLetterQuery {
  @ApiPropertyOptional({ type: [String], description: 'Only these events; default every parked one' })
  @IsOptional()
  @IsArray({ message: 'eventIds must be a list of event ids' })
  @ArrayMaxSize(1000, { message: 'eventIds may list at most 1000 events' })
  @IsString({ each: true, message: 'each event id must be a text' })
  eventIds?: string[];
}

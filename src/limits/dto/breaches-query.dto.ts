import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsDateString, IsOptional } from 'class-validator';

export class BreachesQueryDto {
  @ApiPropertyOptional({ example: '2026-11-01T00:00:00Z', description: 'Only breaches detected at or after this ISO time' })
  @IsOptional() @IsDateString({ strict: true })
  since?: string;
}

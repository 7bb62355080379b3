import { ApiProperty } from '@nestjs/swagger';

export class LivenessResponseDto {
  @ApiProperty({ example: 'ok' }) status!: string;
  @ApiProperty({ example: 3600, description: 'Seconds since the process started' }) uptime_seconds!: number;
}

export class ReadinessResponseDto {
  @ApiProperty({ example: 'ok' }) status!: string;
  @ApiProperty({
    example: { database: 'up', nats: 'up', redis: 'up' },
    description: 'Each configured dependency: database always, NATS and Redis when configured',
    type: 'object',
    additionalProperties: { type: 'string', enum: ['up', 'down'] },
  })
  checks!: Record<string, 'up' | 'down'>;
}

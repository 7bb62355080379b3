import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/public.decorator';
import { HealthService } from './health.service';

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process is up and serving', description: 'No key needed. Always 200 while the event loop turns.' })
  live() {
    return this.health.live();
  }

  @Get('ready')
  @ApiOperation({
    summary: 'Readiness: the database answers (and NATS / Redis when configured)',
    description: 'No key needed. 200 with the state of each dependency, or 503 DEPENDENCY_UNAVAILABLE naming the failing ones.',
  })
  ready() {
    return this.health.ready();
  }
}

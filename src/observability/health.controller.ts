import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../common/api-errors.decorator';
import { LivenessResponseDto, ReadinessResponseDto } from './dto/health-response.dto';
import { Public } from '../auth/public.decorator';
import { HealthService } from './health.service';

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process is up and serving', description: 'No key needed. Always 200 while the event loop turns.' })
  @ApiOkResponse({ type: LivenessResponseDto })
  live(): LivenessResponseDto {
    return this.health.live();
  }

  @Get('ready')
  @ApiOperation({
    summary: 'Readiness: the database answers (and NATS / Redis when configured)',
    description: 'No key needed. 200 with the state of each dependency, or 503 DEPENDENCY_UNAVAILABLE naming the failing ones.',
  })
  @ApiOkResponse({ type: ReadinessResponseDto })
  @ApiErrors(503)
  ready(): Promise<ReadinessResponseDto> {
    return this.health.ready();
  }
}

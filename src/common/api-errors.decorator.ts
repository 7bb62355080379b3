import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiResponse } from '@nestjs/swagger';

export class ErrorBodyDto {
  @ApiProperty({ example: 400 }) status_code!: number;
  @ApiProperty({ example: 'Bad Request' }) error!: string;
  @ApiProperty({
    example: 'INVALID_INPUT',
    enum: ['INVALID_INPUT', 'INSUFFICIENT_DATA', 'NOT_FOUND', 'UNAUTHORIZED', 'FORBIDDEN', 'CONFLICT', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE', 'RATE_LIMITED', 'CALCULATION_TIMEOUT', 'DEPENDENCY_UNAVAILABLE', 'UNKNOWN_ERROR'],
  })
  error_type!: string;
  @ApiProperty({ example: ['returns[3] must be a finite number'], type: [String] }) message!: string[];
  @ApiProperty({ example: '8d0c7a52-6f7e-4c8e-9d55-0c1b0b7f6a11' }) correlation_id!: string;
}

const DESCRIPTIONS: Record<number, string> = {
  400: 'INVALID_INPUT: a field is missing, malformed or out of range (each named in `message`)',
  401: 'UNAUTHORIZED: missing or unknown x-api-key',
  403: 'FORBIDDEN: the key’s role may not do this',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE: more than 1,000,000 values, or a body over the size limit',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'INSUFFICIENT_DATA: too few observations for the method and confidence',
  429: 'RATE_LIMITED: the API key spent RATE_LIMIT_PER_MINUTE; retry after `Retry-After` seconds',
  503: 'CALCULATION_TIMEOUT (cancelled after CALCULATION_TIMEOUT_MS) or DEPENDENCY_UNAVAILABLE (the database is unreachable; retry after `Retry-After` seconds)',
};

/** Documents the error answers of an operation with the api.md error body. */
export function ApiErrors(...statuses: number[]) {
  return applyDecorators(...statuses.map((status) => ApiResponse({ status, description: DESCRIPTIONS[status], type: ErrorBodyDto })));
}

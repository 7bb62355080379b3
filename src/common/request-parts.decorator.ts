import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { headerValue } from './header-value';

/**
 * The Content-Type header of the request. Unlike `@Headers('content-type')` it does not show in
 * Swagger as a header parameter to fill in (the operation documents its media types instead).
 */
export const ContentType = createParamDecorator((_data: unknown, ctx: ExecutionContext): string | undefined =>
  headerValue(ctx.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined> }>().headers['content-type']),
);

/**
 * The body as the content parsers left it (a JSON value, or the text of a CSV), for an operation
 * that reads it itself and documents its body per media type (`@ApiOperation({ requestBody })`):
 * `@Body()` would make Swagger show one schema under every media type.
 */
export const RawBody = createParamDecorator((_data: unknown, ctx: ExecutionContext): unknown => ctx.switchToHttp().getRequest<{ body?: unknown }>().body);

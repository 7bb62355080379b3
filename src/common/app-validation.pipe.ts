import { ArgumentMetadata, Injectable, ValidationPipe } from '@nestjs/common';
import { RpcParamtype } from '@nestjs/microservices/enums/rpc-paramtype.enum';
import { fastValidatorFor } from './fast-validation';
import { nullFieldsAsAbsent } from './hostile-input';
import { MalformedPayload } from './malformed-payload';
import { ValidationError } from './errors';
import { numericArraysOf, readNumericArray } from './numeric-array';
import { validationExceptionFactory } from './validation';

/**
 * The global pipe: class-validator for ordinary fields (whitelist, unknown fields
 * rejected), and a one-pass reader for the DTO's @NumericArray fields. Every problem
 * of a body is reported in one 400.
 */
@Injectable()
export class AppValidationPipe extends ValidationPipe {
  constructor() {
    super({ whitelist: true, forbidNonWhitelisted: true, transform: true, exceptionFactory: validationExceptionFactory });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (value instanceof MalformedPayload) throw new ValidationError(value.messages);
    // REST bodies and NATS payloads (@Payload(): RpcParamtype.PAYLOAD) share the DTOs.
    const isBody = metadata.type === 'body' || (metadata.type as unknown) === RpcParamtype.PAYLOAD;
    // null for a field of a DTO is the field left out (api.md Hardening).
    const dtoInput = (isBody || metadata.type === 'query') && isDto(metadata.metatype);
    if (dtoInput) value = nullFieldsAsAbsent(value);
    const arrays = isBody ? numericArraysOf(metadata.metatype) : undefined;
    if (!arrays) return (dtoInput && this.accepted(value, metadata)) || super.transform(value, metadata);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new ValidationError('body must be a JSON object');
    }
    const rest: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    const problems: string[] = [];
    const parsed: Record<string, Float64Array> = {};
    for (const [field, spec] of arrays) {
      const raw = rest[field];
      delete rest[field];
      if (raw === undefined || (raw === null && spec.optional)) {
        if (!spec.optional) problems.push(`${field} is required`);
        continue;
      }
      const arr = readNumericArray(raw, field, spec, problems);
      if (arr) parsed[field] = arr;
    }
    let dto: object;
    try {
      dto = this.accepted(rest, metadata) || ((await super.transform(rest, metadata)) as object);
    } catch (err) {
      if (err instanceof ValidationError) throw new ValidationError([...problems, ...err.messages]);
      throw err;
    }
    if (problems.length > 0) throw new ValidationError(problems);
    return Object.assign(dto, parsed);
  }

  /** The DTO when the accept-only fast path (fast-validation.ts) passes every field, else null (class-validator decides). */
  private accepted(value: unknown, metadata: ArgumentMetadata): object | null {
    if (value === null || typeof value !== 'object' || Array.isArray(value) || Object.getPrototypeOf(value) !== Object.prototype) return null;
    const fast = fastValidatorFor(metadata.metatype as Function);
    return fast ? fast(value as Record<string, unknown>) : null;
  }
}

const PLAIN_TYPES: unknown[] = [Object, String, Number, Boolean, Array];

function isDto(metatype: unknown): boolean {
  return typeof metatype === 'function' && !PLAIN_TYPES.includes(metatype);
}

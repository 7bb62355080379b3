import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { ValidationError } from './errors';
import { ID_MESSAGE, ID_PATTERN, UUID_MESSAGE, UUID_PATTERN } from './ids';

function checked(value: unknown, metadata: ArgumentMetadata, pattern: RegExp, message: string): string {
  if (typeof value !== 'string' || !pattern.test(value)) throw new ValidationError(`${metadata.data ?? 'id'} ${message}`);
  return value;
}

/**
 * A path parameter that is a client-chosen id (portfolios, assets): 1 to 64 characters of
 * letters, digits and `. _ : -`. Anything else is 400 INVALID_INPUT naming the parameter,
 * before the service is called.
 */
@Injectable()
export class ParseIdPipe implements PipeTransform<unknown, string> {
  transform(value: unknown, metadata: ArgumentMetadata): string {
    return checked(value, metadata, ID_PATTERN, ID_MESSAGE);
  }
}

/** A path parameter that is an id the service gave (alerts, API keys): a UUID, else 400 naming it. */
@Injectable()
export class ParseUuidPipe implements PipeTransform<unknown, string> {
  transform(value: unknown, metadata: ArgumentMetadata): string {
    return checked(value, metadata, UUID_PATTERN, UUID_MESSAGE);
  }
}

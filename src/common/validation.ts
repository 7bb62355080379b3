import { ValidationError as ClassValidatorError } from 'class-validator';
import { ValidationError } from './errors';

/** Flattens class-validator errors into messages naming the full field path, e.g. "positions[2].market_value must …". */
export function flattenValidationErrors(errors: ClassValidatorError[], parent = ''): string[] {
  const out: string[] = [];
  for (const e of errors) {
    const path = parent ? (/^\d+$/.test(e.property) ? `${parent}[${e.property}]` : `${parent}.${e.property}`) : e.property;
    for (const message of Object.values(e.constraints ?? {})) {
      // class-validator starts its messages with the bare property name: put the full path there.
      out.push(message.startsWith(e.property) ? path + message.slice(e.property.length) : `${path}: ${message}`);
    }
    if (e.children?.length) out.push(...flattenValidationErrors(e.children, path));
  }
  return out;
}

export function validationExceptionFactory(errors: ClassValidatorError[]): ValidationError {
  return new ValidationError(flattenValidationErrors(errors));
}

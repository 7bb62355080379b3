import type { MetadataStorage as TransformerMetadataStorage } from 'class-transformer/types/MetadataStorage';
import { getMetadataStorage, ValidationArguments, ValidationTypes } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';

// class-transformer's decorator registry (the singleton its plainToInstance reads; not re-exported by its index).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as { defaultMetadataStorage: TransformerMetadataStorage };

/**
 * The accept-only fast path of the global validation pipe (issue 11): for a DTO made of flat
 * fields (no class-transformer decorator), or of arrays of such DTOs (@ValidateNested() with
 * @Type(() => X) alone, e.g. a what-if's trades), the class-validator decorators are read
 * once per class and run directly on the body. When every field passes, the answer is the DTO
 * instance class-transformer + class-validator would have given (`new Dto()` with the body's own
 * fields, arrays copied). When anything fails, or the body or the class falls outside what this
 * path mirrors, it answers null and the pipe runs class-validator as before: every error message
 * still comes from class-validator. class-validator recomputes a class's metadata (a scan of every
 * registered class) and builds an error object per field on every call, valid or not: about a
 * tenth of a POST /v1/var's time before this path.
 */
export type FastValidator = (plain: Record<string, unknown>) => object | null;

interface FieldRule {
  property: string;
  conditions: ValidationMetadata[];
  /**
   * Each decorator and its validators, resolved once: class-validator's ConstraintMetadata.instance looks the
   * validator up in class-validator's container by a linear search of every constraint class it
   * has made, on every read (≈ 1 % of a POST /v1/var's CPU when read per request).
   */
  checks: Array<{ metadata: ValidationMetadata; validators: Array<{ validate(value: unknown, args: ValidationArguments): unknown }> }>;
  /** @ValidateNested() + @Type(() => X) over an array: the fast validator of X, run on each element. */
  nested?: FastValidator;
}

const compiled = new Map<Function, FastValidator | null>();

/** The fast validator of a DTO class, or null when the class needs the full class-validator path. */
export function fastValidatorFor(metatype: Function): FastValidator | null {
  let v = compiled.get(metatype);
  if (v === undefined) {
    compiled.set(metatype, null); // a class nested in itself takes the long way
    v = compile(metatype as new () => object);
    compiled.set(metatype, v);
  }
  return v;
}

function compile(metatype: new () => object): FastValidator | null {
  const storage = getMetadataStorage();
  // As ValidationPipe calls class-validator: no groups, always = false, strictGroups = false.
  const metadatas = storage.getTargetValidationMetadatas(metatype, '', false, false);
  if (metadatas.length === 0) return null; // class-validator's "unknown value" error
  const byProperty = new Map<string, ValidationMetadata[]>();
  for (const m of metadatas) {
    if (m.type === ValidationTypes.PROMISE_VALIDATION) return null;
    const list = byProperty.get(m.propertyName) ?? [];
    list.push(m);
    byProperty.set(m.propertyName, list);
  }
  const rules: FieldRule[] = [];
  for (const [property, list] of byProperty) {
    const nested = list.some((m) => m.type === ValidationTypes.NESTED_VALIDATION) ? nestedValidator(metatype, property) : undefined;
    if (nested === null || (!nested && hasTransformerMetadata(metatype, property))) return null;
    const rule: FieldRule = { property, conditions: [], checks: [], nested };
    // class-validator's order: IS_DEFINED checks, then the other custom validations.
    const defined = list.filter((m) => m.type === ValidationTypes.IS_DEFINED);
    const custom = list.filter((m) => m.type === ValidationTypes.CUSTOM_VALIDATION);
    for (const m of list) {
      if (m.type === ValidationTypes.CONDITIONAL_VALIDATION) rule.conditions.push(m);
      else if (m.type !== ValidationTypes.IS_DEFINED && m.type !== ValidationTypes.CUSTOM_VALIDATION && m.type !== ValidationTypes.WHITELIST && m.type !== ValidationTypes.NESTED_VALIDATION) return null;
    }
    for (const m of [...defined, ...custom]) {
      const constraints = storage.getTargetValidatorConstraints(m.constraintCls);
      if (constraints.some((c) => c.async)) return null;
      rule.checks.push({ metadata: m, validators: constraints.map((c) => c.instance as { validate(value: unknown, args: ValidationArguments): unknown }) });
    }
    rules.push(rule);
  }
  if (defaultMetadataStorage.getStrategy(metatype) !== 'none' || defaultMetadataStorage.getExposedMetadatas(metatype).length > 0 || defaultMetadataStorage.getExcludedMetadatas(metatype).length > 0) return null;
  const known = new Set(byProperty.keys());
  const nestedRules = new Map(rules.filter((r) => r.nested).map((r) => [r.property, r.nested!]));
  const targetName = metatype.name;

  return (plain) => {
    const instance = new metatype() as Record<string, unknown>;
    for (const key of Object.keys(plain)) {
      if (!known.has(key)) return null; // whitelist + forbidNonWhitelisted: class-validator names it
      const value = plain[key];
      const nested = nestedRules.get(key);
      if (nested) {
        // What class-transformer's @Type gives for an array of plain objects: one instance each.
        if (!Array.isArray(value)) return null;
        const items = new Array<object>(value.length);
        for (let i = 0; i < value.length; i++) {
          const item: unknown = value[i];
          if (!isPlainObject(item)) return null;
          const checked = nested(item);
          if (checked === null) return null;
          items[i] = checked;
        }
        instance[key] = items;
      } else if (value !== null && typeof value === 'object') {
        // Arrays of plain values are copied as class-transformer copies them; anything nested goes the long way.
        if (!Array.isArray(value) || !value.every(isPrimitive)) return null;
        instance[key] = value.slice();
      } else if (value !== undefined) {
        instance[key] = value;
      }
    }
    for (const rule of rules) {
      const value = instance[rule.property];
      let applies = true;
      for (const c of rule.conditions) applies = applies && Boolean((c.constraints[0] as (o: object, v: unknown) => boolean)(instance, value));
      if (!applies) continue;
      for (const { metadata, validators } of rule.checks) {
        if (metadata.validateIf && !metadata.validateIf(instance, value)) continue;
        const args: ValidationArguments = { targetName, property: metadata.propertyName, object: instance, value, constraints: metadata.constraints };
        const each = metadata.each && (Array.isArray(value) || value instanceof Set || value instanceof Map);
        const items = each ? Array.from(value instanceof Map ? value.values() : (value as Iterable<unknown>)) : [value];
        for (const validator of validators) {
          for (const item of items) {
            const ok = validator.validate(item, args);
            // A promise (an async check) or a failure: class-validator decides and words the error.
            if (ok !== true) return null;
          }
        }
      }
    }
    return instance;
  };
}

/**
 * The fast validator of the class an array property's elements are validated as (@ValidateNested()
 * with @Type(() => X), no other class-transformer decorator on it); null when it has none.
 */
function nestedValidator(metatype: Function, property: string): FastValidator | null {
  const type = defaultMetadataStorage.findTypeMetadata(metatype, property);
  if (!type || type.options?.discriminator || typeof type.typeFunction !== 'function' || hasTransformerMetadata(metatype, property, true)) return null;
  const cls = type.typeFunction() as unknown;
  return typeof cls === 'function' && cls !== Object ? fastValidatorFor(cls) : null;
}

/** A JSON object: its prototype is an Object.prototype (of any realm: JSON.parse, structuredClone), not a class's. */
function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto !== null && Object.getPrototypeOf(proto) === null;
}

function isPrimitive(v: unknown): boolean {
  return v === null || (typeof v !== 'object' && typeof v !== 'function');
}

/** Whether class-transformer has a decorator on the property (@Type aside when `exceptType`). */
function hasTransformerMetadata(metatype: Function, property: string, exceptType = false): boolean {
  return (
    (!exceptType && defaultMetadataStorage.findTypeMetadata(metatype, property) !== undefined) ||
    defaultMetadataStorage.findTransformMetadatas(metatype, property, 1 /* PLAIN_TO_CLASS */).length > 0 ||
    defaultMetadataStorage.findExposeMetadata(metatype, property) !== undefined ||
    defaultMetadataStorage.findExcludeMetadata(metatype, property) !== undefined
  );
}

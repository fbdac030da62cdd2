import { ArgumentMetadata, BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';
import { instanceIfValid } from '@conduct/contract-validation';
import { FieldError } from './problem/problem-details';

/** A request body, query or params DTO failed validation; `errors` names each field and why. */
export class RequestValidationException extends BadRequestException {
  constructor(readonly errors: FieldError[]) {
    super({ message: `The request has invalid fields: ${errors.map((error) => error.field).join(', ')}`, code: 'request.validation-failed', errors });
  }
}

/**
 * One entry per field at fault, nested properties as dotted paths (`author.unitId`, `links.0`),
 * its failed constraints joined in one reason (a missing array fails six of them at once).
 */
export function flattenValidationErrors(errors: readonly ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = [parent, error.property].filter(Boolean).join('.') || '(body)';
    const reasons = Object.values(error.constraints ?? {});
    const own = reasons.length > 0 ? [{ field, reason: reasons.join('; ') }] : [];
    return [...own, ...flattenValidationErrors(error.children ?? [], field === '(body)' ? '' : field)];
  });
}

/**
 * The pipe every route's @Body(), @Query() and @Param() DTOs go through: unknown fields are
 * refused (not silently dropped), plain objects become DTO instances. There is no implicit type
 * conversion: query DTOs declare it with `@Type(() => Number)`, so a body never has "12" turn into 12.
 */
/** How a sealed personal value starts (ADR 21). */
const SEALED_PREFIX = 'pii:v1:';

/** The paths of the strings in a body that hold a sealed value. */
function sealedValuesIn(value: unknown, path: string, into: string[]): string[] {
  if (typeof value === 'string') {
    if (value.includes(SEALED_PREFIX)) into.push(path || '(body)');
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => sealedValuesIn(item, path ? `${path}.${index}` : String(index), into));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) sealedValuesIn(item, path ? `${path}.${key}` : key, into);
  }
  return into;
}

/**
 * A JSON body's DTO instance when the contract fast path (ADR 24) is sure it is valid: the rules
 * read once per class, no lookup per object. Anything else (an invalid body, a DTO with a rule the
 * fast path leaves alone) goes through ValidationPipe, which words the field errors.
 */
function validBody(value: unknown, metadata: ArgumentMetadata): object | undefined {
  const { metatype } = metadata;
  if (!metatype || typeof value !== 'object' || value === null || Object.getPrototypeOf(value) !== Object.prototype) return undefined;
  return instanceIfValid(metatype as new () => object, value, true);
}

/**
 * Refuses a body that carries a sealed value (`pii:v1:…`, ADR 21) anywhere: every answer opens
 * such values for its reader, so one copied from an event into a note or a description would be
 * opened for readers who may not see names. Then validates as ValidationPipe does.
 */
class ConductValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body') {
      const sealed = sealedValuesIn(value, '', []);
      if (sealed.length > 0) {
        throw new RequestValidationException(
          sealed.map((field) => ({ field, reason: 'must not hold a sealed value (pii:v1:…): write the plain value, or the service number' })),
        );
      }
      const valid = validBody(value, metadata);
      if (valid) return valid;
    }
    return super.transform(value, metadata);
  }
}

export function createValidationPipe(): ValidationPipe {
  return new ConductValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new RequestValidationException(flattenValidationErrors(errors)),
  });
}

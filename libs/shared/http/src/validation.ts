import { BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';
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
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new RequestValidationException(flattenValidationErrors(errors)),
  });
}

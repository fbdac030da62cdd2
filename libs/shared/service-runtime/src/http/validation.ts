import { BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';
import { FieldError } from '../problem/problem-details';

/** A request body, query or params DTO failed validation; `errors` names each field and why. */
export class RequestValidationException extends BadRequestException {
  constructor(readonly errors: FieldError[]) {
    const fields = [...new Set(errors.map((error) => error.field))];
    super({ message: `The request has invalid fields: ${fields.join(', ')}`, code: 'request.validation-failed', errors });
  }
}

/** One entry per failed constraint, nested properties as dotted paths (`author.unitId`, `links.0`). */
export function flattenValidationErrors(errors: readonly ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = [parent, error.property].filter(Boolean).join('.') || '(body)';
    const own = Object.values(error.constraints ?? {}).map((reason) => ({ field, reason }));
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

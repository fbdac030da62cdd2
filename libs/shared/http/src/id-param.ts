import { BadRequestException, Param, ParseUUIDPipe } from '@nestjs/common';

/**
 * A path parameter that must be a UUID (a record id). Anything else answers 400 problem+json with
 * `code` request.invalid-id and the parameter in `errors[]`, like any other field at fault, instead
 * of Nest's bare "Validation failed (uuid is expected)".
 */
export const IdParam = (name: string): ParameterDecorator =>
  Param(
    name,
    new ParseUUIDPipe({
      exceptionFactory: () =>
        new BadRequestException({
          message: `${name} must be a UUID`,
          code: 'request.invalid-id',
          errors: [{ field: name, reason: `${name} must be a UUID` }],
        }),
    }),
  );

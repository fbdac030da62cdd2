import { STATUS_CODES } from 'node:http';
import { HttpException, HttpStatus } from '@nestjs/common';
import { DomainError, DomainErrorKind } from '@conduct/decider';
import { FieldError, ProblemDetails, problemType } from './problem-details';

export interface ProblemContext {
  instance: string;
  correlationId?: string;
}

export interface MappedProblem {
  problem: ProblemDetails;
  /** Not a client mistake: log it with its stack. */
  unexpected: boolean;
}

const DOMAIN_STATUS: Record<DomainErrorKind, number> = {
  invalid: HttpStatus.UNPROCESSABLE_ENTITY,
  forbidden: HttpStatus.FORBIDDEN,
  conflict: HttpStatus.CONFLICT,
  'not-found': HttpStatus.NOT_FOUND,
  'precondition-failed': HttpStatus.PRECONDITION_FAILED,
};

/**
 * Maps anything thrown while handling a request to a problem. Nest HttpExceptions keep their
 * status; a body object may carry `message`, `code` and `errors` ({ field, reason }[]), which is
 * how auth, validation and body parsing pass their details. Unknown errors become a generic 500
 * that says nothing about the internals.
 */
export function toProblem(error: unknown, context: ProblemContext): MappedProblem {
  if (error instanceof DomainError) return expected(fromDomainError(error), context);
  if (isConcurrencyError(error)) {
    return expected({ status: HttpStatus.CONFLICT, code: error.code ?? 'stream.version-conflict', detail: error.message }, context);
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    return { problem: build({ status, ...fromHttpResponse(error.getResponse(), status) }, context), unexpected: status >= 500 };
  }
  if (isClientHttpError(error)) return expected({ status: error.status, detail: error.message }, context);
  return {
    problem: build({ status: 500, detail: 'An unexpected error occurred. Quote the correlation id when reporting it.' }, context),
    unexpected: true,
  };
}

interface ProblemParts {
  status: number;
  detail: string;
  code?: string;
  clause?: string;
  errors?: FieldError[];
}

function build(parts: ProblemParts, context: ProblemContext): ProblemDetails {
  const problem: ProblemDetails = {
    type: problemType(parts.code),
    title: STATUS_CODES[parts.status] ?? 'Error',
    status: parts.status,
    detail: parts.detail,
    instance: context.instance,
  };
  if (parts.errors?.length) problem.errors = parts.errors;
  if (parts.code) problem.code = parts.code;
  if (parts.clause) problem.clause = parts.clause;
  if (context.correlationId) problem.correlationId = context.correlationId;
  return problem;
}

const expected = (parts: ProblemParts, context: ProblemContext): MappedProblem => ({ problem: build(parts, context), unexpected: false });

function fromDomainError(error: DomainError): ProblemParts {
  return {
    status: DOMAIN_STATUS[error.kind],
    detail: error.message,
    code: error.code,
    clause: error.clause,
    errors: error.field ? [{ field: error.field, reason: error.message }] : undefined,
  };
}

function fromHttpResponse(response: string | object, status: number): Omit<ProblemParts, 'status'> {
  const fallback = STATUS_CODES[status] ?? 'Error';
  if (typeof response === 'string') return { detail: response };
  const body = response as Record<string, unknown>;
  const message = body['message'];
  const detail = typeof message === 'string' ? message : Array.isArray(message) ? message.map(String).join('; ') : fallback;
  return {
    detail,
    code: typeof body['code'] === 'string' ? body['code'] : undefined,
    errors: Array.isArray(body['errors']) ? body['errors'].filter(isFieldError) : undefined,
  };
}

function isFieldError(value: unknown): value is FieldError {
  return (
    typeof value === 'object' && value !== null && typeof (value as FieldError).field === 'string' && typeof (value as FieldError).reason === 'string'
  );
}

/** The event store's ConcurrencyError, recognised by name so this library need not import it. */
function isConcurrencyError(error: unknown): error is Error & { code?: string } {
  return error instanceof Error && error.name === 'ConcurrencyError';
}

/** http-errors style (body-parser, raw-body): a 4xx whose message is meant for the client. */
function isClientHttpError(error: unknown): error is Error & { status: number } {
  if (!(error instanceof Error)) return false;
  const { status, expose } = error as Error & { status?: unknown; expose?: unknown };
  return expose === true && typeof status === 'number' && status >= 400 && status < 500;
}

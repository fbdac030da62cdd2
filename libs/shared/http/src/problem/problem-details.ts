import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** One reason a request field was refused; nested fields are dotted paths (`items.0.url`). */
export interface FieldError {
  field: string;
  reason: string;
}

/** RFC 9457 problem details, as every error response of every service carries them. */
export interface ProblemDetails {
  /** `urn:conduct:problem:<code>` when the problem has a code, otherwise `about:blank`. */
  type: string;
  title: string;
  status: number;
  detail: string;
  /** The request path the problem occurred on. */
  instance: string;
  errors?: FieldError[];
  /** Stable, machine-readable code, e.g. `request.validation-failed`, `approval.not-pending`. */
  code?: string;
  /** The policy clause a domain rule rests on, e.g. `SND-5`. */
  clause?: string;
  /** Quote it when reporting a problem: it finds the request's logs. */
  correlationId?: string;
}

export const problemType = (code: string | undefined): string => (code ? `urn:conduct:problem:${code}` : 'about:blank');

class FieldErrorDocument implements FieldError {
  @ApiProperty({ example: 'items.0.url' }) field: string;
  @ApiProperty({ example: 'url must be a URL address' }) reason: string;
}

/** The problem+json schema for OpenAPI: `@ApiBadRequestResponse({ type: ProblemDocument })`. */
export class ProblemDocument implements ProblemDetails {
  @ApiProperty({ example: 'urn:conduct:problem:request.validation-failed' }) type: string;
  @ApiProperty({ example: 'Bad Request' }) title: string;
  @ApiProperty({ example: 400 }) status: number;
  @ApiProperty({ example: 'The request has invalid fields: title' }) detail: string;
  @ApiProperty({ example: '/approval-requests' }) instance: string;
  @ApiPropertyOptional({ type: [FieldErrorDocument] }) errors?: FieldError[];
  @ApiPropertyOptional({ example: 'request.validation-failed' }) code?: string;
  @ApiPropertyOptional({ example: 'SND-5' }) clause?: string;
  @ApiPropertyOptional({ example: '6f1c9c1e-8a53-4c1e-9f59-1d2b0c6f6a10' }) correlationId?: string;
}

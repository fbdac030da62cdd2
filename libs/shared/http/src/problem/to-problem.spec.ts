import { BadRequestException, ForbiddenException, HttpException, NotFoundException, PreconditionFailedException } from '@nestjs/common';
import { DomainError, DomainErrorKind } from '@conduct/decider';
import { RequestValidationException } from '../validation';
import { toProblem } from './to-problem';

const context = { instance: '/approval-requests/ar-1/grant', correlationId: 'c-1' };

describe('toProblem', () => {
  it.each<[DomainErrorKind, number]>([
    ['invalid', 422],
    ['forbidden', 403],
    ['conflict', 409],
    ['not-found', 404],
    ['precondition-failed', 412],
  ])('maps a DomainError of kind %s to %d with its code and clause', (kind, status) => {
    const { problem, unexpected } = toProblem(new DomainError(kind, 'approval.rule', 'The rule says no', 'SND-5'), context);
    expect(unexpected).toBe(false);
    expect(problem).toEqual({
      type: 'urn:conduct:problem:approval.rule',
      title: expect.any(String),
      status,
      detail: 'The rule says no',
      instance: '/approval-requests/ar-1/grant',
      code: 'approval.rule',
      clause: 'SND-5',
      correlationId: 'c-1',
    });
  });

  it('names the field a DomainError points at', () => {
    const { problem } = toProblem(new DomainError('invalid', 'approval.expiry-in-past', 'expiresAt is in the past', undefined, 'expiresAt'), context);
    expect(problem.errors).toEqual([{ field: 'expiresAt', reason: 'expiresAt is in the past' }]);
    expect(problem).not.toHaveProperty('clause');
  });

  it('maps an error named ConcurrencyError to 409 even without importing the event store', () => {
    const error = Object.assign(new Error('Stream s-1 has moved past version 3'), { name: 'ConcurrencyError' });
    expect(toProblem(error, context).problem).toMatchObject({
      status: 409,
      code: 'stream.version-conflict',
      type: 'urn:conduct:problem:stream.version-conflict',
    });
  });

  it('keeps the status of Nest HttpExceptions, with the standard title', () => {
    expect(toProblem(new NotFoundException('No such approval request'), context).problem).toEqual({
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      detail: 'No such approval request',
      instance: context.instance,
      correlationId: 'c-1',
    });
    expect(toProblem(new PreconditionFailedException('Stale ETag'), context).problem).toMatchObject({ status: 412, title: 'Precondition Failed' });
    expect(toProblem(new HttpException('plain string body', 418), context).problem).toMatchObject({ status: 418, detail: 'plain string body' });
  });

  it('carries code and field errors from an HttpException body', () => {
    const { problem } = toProblem(new RequestValidationException([{ field: 'title', reason: 'title must be a string' }]), context);
    expect(problem).toMatchObject({
      status: 400,
      code: 'request.validation-failed',
      detail: 'The request has invalid fields: title',
      errors: [{ field: 'title', reason: 'title must be a string' }],
    });
    expect(toProblem(new ForbiddenException({ message: 'Needs APPROVER', code: 'auth.role-required' }), context).problem.type).toBe(
      'urn:conduct:problem:auth.role-required',
    );
  });

  it('joins a message array (Nest default validation style) into the detail', () => {
    expect(toProblem(new BadRequestException(['a is bad', 'b is bad']), context).problem.detail).toBe('a is bad; b is bad');
  });

  it('passes on client errors in the http-errors style (status + expose)', () => {
    const error = Object.assign(new Error('request aborted'), { status: 400, expose: true });
    expect(toProblem(error, context)).toEqual({ problem: expect.objectContaining({ status: 400, detail: 'request aborted' }), unexpected: false });
  });

  it('turns anything else into a generic 500 that leaks nothing and is flagged for logging', () => {
    const secretMessage = 'password authentication failed for user "conduct" at 10.0.0.5';
    for (const error of [
      new Error(secretMessage),
      new TypeError(secretMessage),
      secretMessage,
      Object.assign(new Error(secretMessage), { status: 500, expose: false }),
    ]) {
      const { problem, unexpected } = toProblem(error, context);
      expect(unexpected).toBe(true);
      expect(problem).toMatchObject({ status: 500, type: 'about:blank', title: 'Internal Server Error' });
      expect(JSON.stringify(problem)).not.toContain('10.0.0.5');
    }
  });

  it('flags 5xx HttpExceptions for logging', () => {
    expect(toProblem(new HttpException('upstream down', 502), context).unexpected).toBe(true);
  });

  it('leaves correlationId out when there is none', () => {
    expect(toProblem(new NotFoundException(), { instance: '/x' }).problem).not.toHaveProperty('correlationId');
  });
});

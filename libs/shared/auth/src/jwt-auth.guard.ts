import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Inject,
  Injectable,
  ServiceUnavailableException,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthenticatedRequest, IS_PUBLIC_KEY, ROLES_KEY } from './decorators';
import { Role } from './role';
import { InvalidTokenError, TokenVerifier } from './token';

export const AUTH_OPTIONS = Symbol('AUTH_OPTIONS');

export interface AuthOptions {
  /** Verifies bearer tokens against the identity provider's keys (or the local development key). */
  verifier: TokenVerifier;
}

interface HeaderWritable {
  setHeader(name: string, value: string): unknown;
}

/**
 * Every HTTP route needs a valid bearer token unless marked @Public(); @Roles() then needs one of
 * the roles. Failures are Nest exceptions whose body carries `message` and `code`; the problem
 * filter of @conduct/http turns them into problem+json (401 / 403, or 503 when the
 * identity provider's keys cannot be fetched: the token may well be good).
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(AUTH_OPTIONS) private readonly options: AuthOptions,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC_KEY, targets)) return true;

    const http = context.switchToHttp();
    const request = http.getRequest<AuthenticatedRequest>();
    const token = bearerToken(request.headers['authorization']);
    if (!token) throw unauthorized(http.getResponse<HeaderWritable>(), 'auth.token-missing', 'A bearer token is required');
    try {
      request.principal = await this.options.verifier.verify(token);
    } catch (error) {
      if (error instanceof InvalidTokenError && error.reason === 'unverifiable')
        throw new ServiceUnavailableException({ message: error.message, code: error.code });
      if (error instanceof InvalidTokenError) throw unauthorized(http.getResponse<HeaderWritable>(), error.code, error.message);
      throw error;
    }

    const required = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    const { roles } = request.principal;
    if (required && !required.some((role) => roles.includes(role))) {
      throw new ForbiddenException({ message: `This action needs one of the roles ${required.join(', ')}`, code: 'auth.role-required' });
    }
    return true;
  }
}

function bearerToken(header: string | string[] | undefined): string | undefined {
  const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match?.[1];
}

function unauthorized(response: HeaderWritable, code: string, message: string): UnauthorizedException {
  // RFC 6750: a 401 names the scheme it expects.
  const error = code === 'auth.token-missing' ? '' : ', error="invalid_token"';
  response.setHeader('WWW-Authenticate', `Bearer realm="conduct"${error}`);
  return new UnauthorizedException({ message, code });
}

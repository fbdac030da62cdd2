import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata, UnauthorizedException } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import { Principal } from './principal';
import { Role } from './role';

export const IS_PUBLIC_KEY = 'conduct:auth:public';
export const ROLES_KEY = 'conduct:auth:roles';
/** Marks public operations in the OpenAPI document; setupOpenApi turns it into `security: []`. */
export const PUBLIC_OPERATION_EXTENSION = 'x-conduct-public';

/** The request as the guard leaves it: the verified principal attached. */
export interface AuthenticatedRequest {
  headers: Record<string, string | string[] | undefined>;
  principal?: Principal;
}

/** The route (or every route of the controller) needs no token: health, metrics. /docs shows it. */
export const Public = (): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(IS_PUBLIC_KEY, true), ApiExtension(PUBLIC_OPERATION_EXTENSION, true));

/** The caller needs at least one of these roles; otherwise 403. A method's list replaces its controller's. */
export const Roles = (...roles: [Role, ...Role[]]): MethodDecorator & ClassDecorator => SetMetadata(ROLES_KEY, roles);

/** The verified caller of a guarded route. */
export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): Principal => {
  const { principal } = context.switchToHttp().getRequest<AuthenticatedRequest>();
  // Only reachable on a @Public() route: a programming error, answered as unauthenticated.
  if (!principal) throw new UnauthorizedException({ message: 'This route has no authenticated caller', code: 'auth.token-missing' });
  return principal;
});

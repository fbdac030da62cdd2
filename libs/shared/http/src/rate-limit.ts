import { createHash } from 'node:crypto';
import { ExecutionContext, HttpException, HttpStatus, Injectable } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerLimitDetail, ThrottlerModuleOptions } from '@nestjs/throttler';
import { AuthenticatedRequest } from '@conduct/auth';

export interface RateLimit {
  /** Requests one subject may make per window, over all routes of the service together. */
  requests: number;
  windowSeconds: number;
}

export function throttlerOptions({ requests, windowSeconds }: RateLimit): ThrottlerModuleOptions {
  return { throttlers: [{ limit: requests, ttl: windowSeconds * 1000 }] };
}

/**
 * @nestjs/throttler keyed by the verified subject (the token's `sub`), not by address: the
 * console's backend calls on behalf of everyone from one address, and one integration spread over
 * many addresses is still one caller. It runs after JwtAuthGuard (AuthModule registers it so), so
 * the principal is there; public routes (health, /docs) have none and are not limited. The count
 * lives in this process: N replicas behind a balancer let a subject through up to N times the limit.
 */
@Injectable()
export class SubjectRateLimitGuard extends ThrottlerGuard {
  protected override shouldSkip(context: ExecutionContext): Promise<boolean> {
    return Promise.resolve(context.getType() !== 'http' || !context.switchToHttp().getRequest<AuthenticatedRequest>().principal);
  }

  // shouldSkip let through only requests that carry a principal.
  protected override getTracker(request: Pick<AuthenticatedRequest, 'principal'>): Promise<string> {
    return Promise.resolve(request.principal!.subject);
  }

  /** One budget per subject across every route (the library's default is one per route). */
  protected override generateKey(_context: ExecutionContext, tracker: string, throttler: string): string {
    return createHash('sha256').update(`${throttler}\u0000${tracker}`).digest('hex');
  }

  protected override throwThrottlingException(_context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    // The problem filter turns it into problem+json; Retry-After is already on the response.
    throw new HttpException(
      {
        message: `Too many requests: at most ${detail.limit} per ${detail.ttl / 1000} s for one caller; retry after ${detail.timeToBlockExpire} s`,
        code: 'rate-limit.exceeded',
      },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}

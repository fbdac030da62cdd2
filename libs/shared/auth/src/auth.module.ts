import { CanActivate, DynamicModule, InjectionToken, Module, ModuleMetadata, Provider, Type } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AUTH_OPTIONS, AuthOptions, JwtAuthGuard } from './jwt-auth.guard';
import { TokenVerifier } from './token';

export interface AuthModuleAsyncOptions {
  imports?: ModuleMetadata['imports'];
  inject?: InjectionToken[];
  // The injected values arrive in the order of `inject`; Nest types them loosely.
  useFactory: (...deps: never[]) => AuthOptions | Promise<AuthOptions>;
  /**
   * Global guards that need the verified principal (a rate limit per subject): registered after
   * JwtAuthGuard, in this order, and Nest runs global guards in the order they were registered.
   */
  guardsAfterAuthentication?: Type<CanActivate>[];
}

/** Registers JwtAuthGuard as the global guard: every route needs a token unless @Public(). */
@Module({})
export class AuthModule {
  static forRootAsync(options: AuthModuleAsyncOptions): DynamicModule {
    const useFactory = async (...deps: never[]): Promise<AuthOptions> => checked(await options.useFactory(...deps));
    return {
      module: AuthModule,
      global: true,
      imports: options.imports ?? [],
      providers: [
        { provide: AUTH_OPTIONS, useFactory, inject: options.inject ?? [] },
        { provide: APP_GUARD, useClass: JwtAuthGuard },
        ...(options.guardsAfterAuthentication ?? []).map((guard): Provider => ({ provide: APP_GUARD, useClass: guard })),
      ],
      exports: [AUTH_OPTIONS],
    };
  }
}

function checked(options: AuthOptions): AuthOptions {
  if (!(options.verifier instanceof TokenVerifier)) throw new Error('AuthModule needs a TokenVerifier');
  return options;
}

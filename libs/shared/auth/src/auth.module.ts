import { DynamicModule, InjectionToken, Module, ModuleMetadata, Provider } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AUTH_OPTIONS, AuthOptions, JwtAuthGuard } from './jwt-auth.guard';
import { TokenVerifier } from './token';


export interface AuthModuleAsyncOptions {
  imports?: ModuleMetadata['imports'];
  inject?: InjectionToken[];
  // The injected values arrive in the order of `inject`; Nest types them loosely.
  useFactory: (...deps: never[]) => AuthOptions | Promise<AuthOptions>;
}

/** Registers JwtAuthGuard as the global guard: every route needs a token unless @Public(). */
@Module({})
export class AuthModule {
  static forRoot(options: AuthOptions): DynamicModule {
    return AuthModule.withOptionsProvider({ provide: AUTH_OPTIONS, useValue: checked(options) });
  }

  static forRootAsync(options: AuthModuleAsyncOptions): DynamicModule {
    const useFactory = async (...deps: never[]): Promise<AuthOptions> => checked(await options.useFactory(...deps));
    return {
      ...AuthModule.withOptionsProvider({ provide: AUTH_OPTIONS, useFactory, inject: options.inject ?? [] }),
      imports: options.imports ?? [],
    };
  }

  private static withOptionsProvider(provider: Provider): DynamicModule {
    return {
      module: AuthModule,
      global: true,
      providers: [provider, { provide: APP_GUARD, useClass: JwtAuthGuard }],
      exports: [AUTH_OPTIONS],
    };
  }
}

function checked(options: AuthOptions): AuthOptions {
  if (!(options.verifier instanceof TokenVerifier)) throw new Error('AuthModule needs a TokenVerifier');
  return options;
}

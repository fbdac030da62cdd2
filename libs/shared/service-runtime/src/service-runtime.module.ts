import { DynamicModule, Module, Provider } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { DestinationStream } from 'pino';
import { LoggerModule } from 'nestjs-pino';
import { ThrottlerModule } from '@nestjs/throttler';
import { AuthModule, TokenVerifier } from '@conduct/auth';
import { ConfigClass, loadConfig } from '@conduct/config';
import { BaseServiceConfig } from '@conduct/config';
import { HealthController } from '@conduct/observability';
import { READINESS_INDICATORS, ReadinessIndicator, ReadinessService } from '@conduct/observability';
import { SubjectRateLimitGuard, throttlerOptions } from '@conduct/http';
import { createValidationPipe } from '@conduct/http';
import { loggerParams } from '@conduct/observability';
import { MetricsController } from '@conduct/observability';
import { MetricsServer, TracingFlush } from '@conduct/observability';
import { ProblemDetailsFilter } from '@conduct/http';
import { PersonalDataKeys } from '@conduct/personal-data';
import { OpenPersonalDataInterceptor, personalDataProviders } from './personal-data/personal-data';

export interface ServiceRuntimeOptions {
  /** The service name, e.g. `approval-service`: the `name` of every log line. */
  name: string;
  /** The service's config class (extends BaseServiceConfig); validated from the environment at startup. */
  config?: ConfigClass<BaseServiceConfig>;
  /** Where config is read from; process.env by default. */
  env?: NodeJS.ProcessEnv;
  /** Dependencies /health/ready checks besides the database. */
  readiness?: ReadinessIndicator[];
  /** Log destination; stdout by default (tests capture logs with it). */
  logDestination?: DestinationStream;
}

/**
 * What every service needs, imported once by its AppModule: validated config (injectable as the
 * service's config class and as BaseServiceConfig), JSON logs, the JWT guard on every route and a
 * rate limit per caller after it, the
 * validation pipe, problem+json errors, /health/live, /health/ready and /metrics (on METRICS_PORT
 * when set).
 * bootstrapService / createServiceApp add what lives outside Nest's DI (body parser, correlation
 * ids, HTTP metrics, OpenAPI).
 */
@Module({})
export class ServiceRuntimeModule {
  static forRoot(options: ServiceRuntimeOptions): DynamicModule {
    const configClass = options.config ?? BaseServiceConfig;
    const configProviders: Provider[] = [{ provide: configClass, useFactory: () => loadConfig(configClass, options.env ?? process.env) }];
    if (configClass !== BaseServiceConfig) configProviders.push({ provide: BaseServiceConfig, useExisting: configClass });

    return {
      module: ServiceRuntimeModule,
      global: true,
      imports: [
        LoggerModule.forRootAsync({
          inject: [BaseServiceConfig],
          useFactory: (config: BaseServiceConfig) => loggerParams(config.SERVICE_NAME ?? options.name, config.LOG_LEVEL, options.logDestination),
        }),
        ThrottlerModule.forRootAsync({
          inject: [BaseServiceConfig],
          useFactory: (config: BaseServiceConfig) =>
            throttlerOptions({ requests: config.RATE_LIMIT_REQUESTS, windowSeconds: config.RATE_LIMIT_WINDOW_SECONDS }),
        }),
        AuthModule.forRootAsync({
          inject: [BaseServiceConfig],
          useFactory: (config: BaseServiceConfig) => ({ verifier: new TokenVerifier(config.tokenVerifierOptions()) }),
          guardsAfterAuthentication: [SubjectRateLimitGuard],
        }),
      ],
      controllers: [HealthController, MetricsController],
      providers: [
        ...configProviders,
        { provide: READINESS_INDICATORS, useValue: options.readiness ?? [] },
        ReadinessService,
        MetricsServer,
        TracingFlush,
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
        ...personalDataProviders,
        { provide: APP_INTERCEPTOR, useClass: OpenPersonalDataInterceptor },
      ],
      exports: [configClass, BaseServiceConfig, ReadinessService, PersonalDataKeys],
    };
  }
}

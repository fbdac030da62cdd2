import { Server } from 'node:http';
import { ConsoleLogger, INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import pino from 'pino';
import { ConfigValidationError } from '@conduct/config';
import { BaseServiceConfig } from '@conduct/config';
import { useJsonBodyParser } from '@conduct/http';
import { correlationMiddleware } from '@conduct/http';
import { JSON_LOG_FORMAT } from '@conduct/observability';
import { ensureDefaultMetrics, httpMetricsMiddleware, httpTracingMiddleware, startTracing } from '@conduct/observability';
import { OpenApiOptions, setupOpenApi } from '@conduct/http';

export interface ServiceAppOptions {
  /** The service name, e.g. `approval-service`: OpenAPI title and startup messages. */
  name: string;
  /** Largest accepted JSON body; `256kb` by default. */
  bodyLimit?: string;
  /** OpenAPI version and description (the title is the name). */
  docs?: Omit<OpenApiOptions, 'title'>;
}

export interface BootstrapOptions extends ServiceAppOptions {
  /** Overrides the config's PORT. */
  port?: number;
  host?: string;
}

// AppModule is any Nest module class or dynamic module (its import is the AppModule).
type AppModule = Parameters<typeof NestFactory.create>[0];

/** A service app; getHttpServer() is typed, so supertest takes it as is. */
export type ServiceApp = INestApplication<Server>;

/**
 * The wiring shared by production and tests: everything that must sit in front of Nest's router.
 * Order matters: correlation id first (every response carries one, even a refused body), then the
 * timer, then the body parser.
 */
export function configureServiceApp(app: INestApplication, options: ServiceAppOptions): void {
  app.useLogger(app.get(Logger));
  (app as NestExpressApplication).disable('x-powered-by');
  // Security headers on every answer (nosniff, frame denial, HSTS, a same-origin CSP that the
  // OpenAPI page at /docs still works under): the console and browsers reach these services.
  app.use(helmet());
  app.use(correlationMiddleware);
  app.use(httpTracingMiddleware);
  ensureDefaultMetrics();
  app.use(httpMetricsMiddleware);
  useJsonBodyParser(app, options.bodyLimit);
  setupOpenApi(app, { title: options.name, ...options.docs });
  app.enableShutdownHooks();
}

/** Nest's own logger until pino takes over; the error that ends startup is reported once, by bootstrapService. */
class StartupLogger extends ConsoleLogger {
  override error(message: unknown, ...rest: unknown[]): void {
    if (rest.at(-1) !== 'ExceptionHandler') super.error(message, ...rest);
  }
}

const STARTUP_LOGGER = new StartupLogger({ json: true, logLevels: ['fatal', 'error', 'warn'] });

async function createConfiguredApp(appModule: AppModule, options: ServiceAppOptions): Promise<ServiceApp> {
  // abortOnError: false lets a startup error (e.g. invalid configuration) reach the caller, which
  // reports it once; Nest logs through pino from configureServiceApp on. Until then, warnings and
  // errors (a database that is not answering yet, retried) go out as JSON lines.
  const app = await NestFactory.create<ServiceApp>(appModule, { bodyParser: false, logger: STARTUP_LOGGER, abortOnError: false });
  configureServiceApp(app, options);
  return app;
}

/** The app with the exact production wiring, initialised but not listening: for supertest. */
export async function createServiceApp(appModule: AppModule, options: ServiceAppOptions): Promise<ServiceApp> {
  const app = await createConfiguredApp(appModule, options);
  await app.init();
  return app;
}

/** main.ts of every service: start, listen on PORT, log where; on a startup error, say why and exit 1. */
export async function bootstrapService(appModule: AppModule, options: BootstrapOptions): Promise<ServiceApp> {
  try {
    // Before anything can start a span: off unless OTEL_EXPORTER_OTLP_ENDPOINT is set.
    await startTracing(options.name);
    const app = await createConfiguredApp(appModule, options);
    const port = options.port ?? app.get(BaseServiceConfig).PORT;
    await app.listen(port, options.host ?? '0.0.0.0');
    app.get(Logger).log(`${options.name} listening on http://localhost:${port} (API docs at /docs)`, 'Bootstrap');
    return app;
  } catch (error) {
    // Nest's logger may not exist yet: write one JSON line synchronously, then fail fast.
    const log = pino({ name: options.name, ...JSON_LOG_FORMAT }, pino.destination({ fd: 2, sync: true }));
    const message = `${options.name} failed to start: ${error instanceof Error ? error.message : String(error)}`;
    // A configuration problem is fully described by its message; anything else needs its stack.
    log.fatal(error instanceof ConfigValidationError ? { problems: error.problems } : { err: error }, message);
    process.exit(1);
  }
}

import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Kafka, logLevel } from 'kafkajs';
import { DataSource } from 'typeorm';
import type { PostgresDataSourceOptions } from 'typeorm/driver/postgres/PostgresDataSourceOptions';
import type { TypeOrmModuleOptions } from '@nestjs/typeorm';
import { EventStore, eventStoreMigrations } from '@conduct/event-store';
import { messagingMigrations } from '@conduct/messaging';
import { BaseServiceConfig, ConfigValidationError } from '@conduct/config';
import { BacklogMeter, BACKLOGS } from './backlog-meter';
import { ChainAnchoring } from './chain-anchoring';
import { CLOCK, SystemClock } from './clock';
import { EVENT_SOURCING_OPTIONS, EventSourcingOptions, MessagingLifecycle, Migration } from './messaging-lifecycle';
import { migrateServiceDatabase, refuseChangeableEvents } from './migrate';
import { StreamCommands } from './stream-commands';

/**
 * The pg pool under TypeORM. Keepalive finds a peer that vanished without closing the socket (a
 * cut link, a frozen host) instead of waiting on it forever; the server-side timeouts end a
 * statement or an idle transaction that would otherwise hold locks and the relays back.
 */
export const poolSettings = (config: BaseServiceConfig) => ({
  max: 20,
  keepAlive: true,
  keepAliveInitialDelayMillis: 10_000,
  connectionTimeoutMillis: 10_000,
  statement_timeout: config.DB_STATEMENT_TIMEOUT_MS,
  idle_in_transaction_session_timeout: config.DB_IDLE_IN_TRANSACTION_TIMEOUT_MS,
});

/** TypeORM's options, and how this service's database is migrated and checked (read by the factory, not TypeORM). */
type ServiceDataSourceOptions = PostgresDataSourceOptions &
  TypeOrmModuleOptions & { serviceDatabase: { ownerUrl: string | undefined; production: boolean } };

/** Every migration of a service database, in order: the event store, the messaging tables, its own. */
export const serviceMigrations = (own: Migration[] = []): Migration[] => [...eventStoreMigrations, ...messagingMigrations, ...own];

/**
 * The persistence and messaging of an event-sourced service: its database (migrated on start),
 * the EventStore, the outbox relay to Kafka and the inbox consumers. Needs ServiceRuntimeModule.
 */
@Module({})
export class EventSourcingModule {
  static forRoot(options: EventSourcingOptions): DynamicModule {
    return {
      module: EventSourcingModule,
      global: true,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [BaseServiceConfig],
          useFactory: (config: BaseServiceConfig): ServiceDataSourceOptions => ({
            type: 'postgres',
            url: config.DATABASE_URL,
            migrations: serviceMigrations(options.migrations),
            // Run below, under a lock: replicas may start together on a fresh database.
            migrationsRun: false,
            migrationsTransactionMode: 'each',
            synchronize: false,
            logging: false,
            extra: poolSettings(config),
            // A database that refuses at startup is tried again every second (Nest's default waits
            // 3 s between tries), each failure logged with its cause: a restart must take commands
            // within seconds of the database answering. A setting refused is not tried again.
            retryAttempts: 10,
            retryDelay: 1_000,
            verboseRetryLog: true,
            toRetry: (error: unknown) => !(error instanceof ConfigValidationError),
            serviceDatabase: { ownerUrl: config.DATABASE_MIGRATION_URL, production: config.production },
          }),
          dataSourceFactory: async (dataSourceOptions) => {
            if (!dataSourceOptions) throw new Error('EventSourcingModule: no data source options');
            const { serviceDatabase, ...typeormOptions } = dataSourceOptions as ServiceDataSourceOptions;
            const dataSource = await new DataSource(typeormOptions).initialize();
            try {
              await migrateServiceDatabase(dataSource, serviceDatabase.ownerUrl);
              if (serviceDatabase.production) await refuseChangeableEvents(dataSource);
            } catch (error) {
              await dataSource.destroy();
              throw error;
            }
            return dataSource;
          },
        }),
      ],
      providers: [
        { provide: EVENT_SOURCING_OPTIONS, useValue: options },
        // One instance per app, so a test can move this app's time without touching another's.
        { provide: CLOCK, useClass: SystemClock },
        {
          provide: EventStore,
          inject: [DataSource],
          useFactory: (dataSource: DataSource) =>
            new EventStore(dataSource, {
              ...(options.upcasters ? { upcasters: options.upcasters } : {}),
              ...(options.snapshots ? { snapshots: options.snapshots } : {}),
            }),
        },
        {
          provide: Kafka,
          inject: [BaseServiceConfig],
          useFactory: (config: BaseServiceConfig) =>
            new Kafka({
              clientId: options.name,
              // kafkajs bootstraps each client from the first broker of this list and, when that broker
              // accepts the connection but never answers (frozen), retries it forever instead of the
              // next. A list in random order for every client lets a new one (the relay makes one
              // after a send that took too long) start from a live broker.
              brokers: () => inRandomOrder(config.KAFKA_BROKERS),
              logLevel: logLevel.WARN,
              // Retries at most 500 ms apart (kafkajs's default waits grow to 30 s). A retrier keeps
              // its backoff for as long as it fails: after a broker outage the first failure once the
              // broker is back (a coordinator still loading its groups) waited the whole maximum.
              // With 2 s, that was most of the 4.9 s a frozen broker's resume took to reach reporting.
              retry: { initialRetryTime: 200, maxRetryTime: 500, retries: 8 },
              // A frozen broker answers nothing while its connections stay open, and kafkajs sends
              // metadata requests to any broker it is connected to: each request that lands there
              // holds its consumer for the whole timeout. 5 s, not kafkajs's 30 (a healthy broker
              // answers in milliseconds; fetches wait at most 50 ms for data).
              requestTimeout: 5_000,
              ...config.kafkaSecurity(),
            }),
        },
        MessagingLifecycle,
        StreamCommands,
        { provide: BACKLOGS, useValue: options.backlogs ?? [] },
        BacklogMeter,
        ChainAnchoring,
      ],
      exports: [EventStore, Kafka, CLOCK, MessagingLifecycle, StreamCommands, ChainAnchoring],
    };
  }
}

function inRandomOrder<T>(items: readonly T[]): T[] {
  const shuffled = [...items];
  for (let i = shuffled.length - 1; i > 0; i -= 1) {
    const j = Math.floor(Math.random() * (i + 1));
    [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
  }
  return shuffled;
}

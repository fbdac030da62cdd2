import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap, Optional, Type } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { Admin, Kafka } from 'kafkajs';
import { PinoLogger } from 'nestjs-pino';
import { DataSource, MigrationInterface } from 'typeorm';
import { SnapshotPolicies, Upcasters } from '@conduct/event-store';
import { EventRow, InboxConsumer, InboxHandler, OutboxRelay, RelayRoute } from '@conduct/messaging';
import { BaseServiceConfig } from '@conduct/config';
import { ReadinessService } from '@conduct/observability';
import type { Backlog } from './backlog-meter';

export type Migration = new () => MigrationInterface;

/** Gets a provider of the running app (any module), as a consumer's handlers need it. */
export type ProviderLookup = <T>(token: Type<T> | string | symbol) => T;

/** The handlers of a consumer by event type. */
export type ConsumerHandlers = Record<string, InboxHandler<object>>;

export interface ConsumerDefinition {
  /** Inbox key and Kafka group id; one per read model or reaction. */
  name: string;
  topics: string[];
  /**
   * The handlers, or a factory that builds them from the app's providers once Nest has made them:
   * consumers are declared with the module, before the providers exist.
   */
  handlers: ConsumerHandlers | ((get: ProviderLookup) => ConsumerHandlers);
  /** Apply each stream in version order, parking early arrivals (see InboxConsumerOptions). */
  inStreamOrder?: boolean;
  /** The publisher's upcasters: older schema versions are brought up to what the handlers take. */
  upcasters?: Upcasters;
  /** Called after each transaction that applied events has committed (see InboxConsumerOptions), built from the app's providers. */
  onApplied?: (get: ProviderLookup) => () => void;
}

export interface EventSourcingOptions {
  /** Service name: the relay's lock and checkpoint, the Kafka client id. */
  name: string;
  /** The service's own migrations, run after the event store's and the messaging tables'. */
  migrations?: Migration[];
  upcasters?: Upcasters;
  snapshots?: SnapshotPolicies;
  /** Where each stored event goes on Kafka; omit for a service that publishes nothing. */
  route?: (row: EventRow) => RelayRoute;
  consumers?: ConsumerDefinition[];
  /** The work it owes, measured on a timer (BacklogMeter). */
  backlogs?: Backlog[];
}

export const EVENT_SOURCING_OPTIONS = Symbol('EVENT_SOURCING_OPTIONS');

/** Starts the relay and the consumers once the app is up, and stops them before it goes down. */
@Injectable()
export class MessagingLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly relay?: OutboxRelay;
  private consumers: InboxConsumer[] = [];
  private admin?: Admin;
  private clusterProbe?: Promise<void>;

  private readonly log = {
    log: (message: string) => this.logger.info(message),
    warn: (message: string) => this.logger.warn(message),
    error: (message: string) => this.logger.error(message),
  };

  constructor(
    @Inject(EVENT_SOURCING_OPTIONS) private readonly options: EventSourcingOptions,
    private readonly kafka: Kafka,
    private readonly dataSource: DataSource,
    private readonly config: BaseServiceConfig,
    private readonly logger: PinoLogger,
    private readonly moduleRef: ModuleRef,
    @Optional() private readonly readiness?: ReadinessService,
  ) {
    this.logger.setContext('messaging');
    if (options.route) this.relay = new OutboxRelay({ name: options.name, database: dataSource, kafka, route: options.route, logger: this.log });
  }

  /**
   * Starts the relay and the consumers in the background: the service takes commands as soon as
   * PostgreSQL answers, whether or not Kafka does (the events table holds what is to be sent),
   * and the consumers keep trying to join their groups however long Kafka is away. The consumers
   * are made here, once every provider their handlers may ask for exists.
   */
  onApplicationBootstrap(): void {
    this.consumers = (this.options.consumers ?? []).map((consumer) => this.inboxConsumer(consumer));
    this.relay?.start();
    for (const consumer of this.consumers) consumer.keepRunning();
    let consumersJoined = false;
    void this.consumersJoined().then(() => (consumersJoined = true));
    this.readiness?.register({ name: 'kafka', informational: true, check: () => this.describeCluster() });
    this.readiness?.register({
      name: 'consumers',
      informational: true,
      check: () => (consumersJoined ? Promise.resolve() : Promise.reject(new Error('not every consumer has joined its group yet'))),
    });
  }

  private inboxConsumer(consumer: ConsumerDefinition): InboxConsumer {
    const get: ProviderLookup = (token) => this.moduleRef.get(token, { strict: false });
    return new InboxConsumer({
      kafka: this.kafka,
      dataSource: this.dataSource,
      groupId: [this.config.KAFKA_GROUP_PREFIX, this.options.name, consumer.name].filter(Boolean).join('.'),
      consumerName: consumer.name,
      topics: consumer.topics,
      handlers: typeof consumer.handlers === 'function' ? consumer.handlers(get) : consumer.handlers,
      ...(consumer.inStreamOrder ? { inStreamOrder: true } : {}),
      ...(consumer.upcasters ? { upcasters: consumer.upcasters } : {}),
      ...(consumer.onApplied ? { onApplied: consumer.onApplied(get) } : {}),
      logger: this.log,
    });
  }

  /** Resolves once every consumer of the service has joined its group (tests wait on it). */
  async consumersJoined(): Promise<void> {
    await Promise.all(this.consumers.map((consumer) => consumer.joined()));
  }

  /**
   * One probe at a time, shared by the readiness checks that arrive meanwhile: with Kafka away a
   * connect retries for seconds, and each probe used to start an admin client of its own, all of
   * them connecting (and staying connected, unowned) once Kafka came back.
   */
  private describeCluster(): Promise<void> {
    this.clusterProbe ??= this.probeCluster().finally(() => (this.clusterProbe = undefined));
    return this.clusterProbe;
  }

  private async probeCluster(): Promise<void> {
    if (!this.admin) {
      const admin = this.kafka.admin();
      try {
        await admin.connect();
      } catch (error) {
        await admin.disconnect().catch(() => undefined);
        throw error;
      }
      this.admin = admin;
    }
    await this.admin.describeCluster();
  }

  /** Call after committing events in this process: publishes without waiting for the next poll. */
  nudgeRelay(): void {
    this.relay?.nudge();
  }

  // Before, not on, shutdown: the relay holds a pooled connection, and TypeORM's pool.end() in
  // onApplicationShutdown would wait for it forever.
  async beforeApplicationShutdown(): Promise<void> {
    // Side by side: each is bounded (5 s), and a frozen broker made them wait one after the other.
    await Promise.all([...this.consumers.map((consumer) => consumer.stop()), this.relay?.stop()]);
    await this.admin?.disconnect();
  }
}

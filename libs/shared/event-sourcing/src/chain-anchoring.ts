import { Inject, Injectable } from '@nestjs/common';
import { Kafka } from 'kafkajs';
import { PinoLogger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { BaseServiceConfig } from '@conduct/config';
import { pgPoolOf, type ChainAnchor } from '@conduct/event-store';
import { anchorStore } from '@conduct/messaging';
import { CLOCK, type Clock } from './clock';
import { EVENT_SOURCING_OPTIONS, type EventSourcingOptions } from './messaging-lifecycle';
import { PeriodicRun } from './periodic-run';

/**
 * Every ANCHOR_INTERVAL_MS a service that records events publishes the Merkle root of its stream
 * heads on `conduct.anchors.v1` (docs/security.md, "Anchored chain heads"): a database
 * administrator who later rewrites a stream, even with every later hash recomputed, no longer
 * matches it. `npm run anchors -- verify <service>` checks; `… publish <service>` anchors now.
 */
@Injectable()
export class ChainAnchoring extends PeriodicRun {
  constructor(
    private readonly dataSource: DataSource,
    private readonly kafka: Kafka,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(EVENT_SOURCING_OPTIONS) private readonly options: EventSourcingOptions,
    config: BaseServiceConfig,
    logger: PinoLogger,
  ) {
    // A service that records no events of its own (reporting-service) has nothing to anchor.
    super(logger, options.route ? config.ANCHOR_INTERVAL_MS : 0, 'chain_anchor');
    this.logger.setContext(ChainAnchoring.name);
  }

  /** Computes and publishes an anchor of the store as it stands now, with the heads that changed since the last (all: `full`). */
  async anchorNow(options: { full?: boolean } = {}): Promise<ChainAnchor> {
    const anchor = await anchorStore(pgPoolOf(this.dataSource), this.kafka, this.options.name, this.clock.now(), options);
    this.logger.info(
      { anchor: { root: anchor.root, streams: anchor.streams, events: anchor.events, headsSent: anchor.heads.changed } },
      'chain heads anchored',
    );
    return anchor;
  }

  protected async run(): Promise<number> {
    await this.anchorNow();
    return 1;
  }
}

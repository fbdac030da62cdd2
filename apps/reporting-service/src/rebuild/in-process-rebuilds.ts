import { BeforeApplicationShutdown, ConflictException, Injectable } from '@nestjs/common';
import { Kafka } from 'kafkajs';
import { PinoLogger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { BaseServiceConfig } from '@conduct/config';
import { GenerationManager } from '../generations/generation-manager';
import { Generation, Generations } from '../generations/generations';
import { RebuildProgress } from './rebuild-progress';
import { RebuildInProgressError, RebuildResult, RebuildRunner } from './rebuild-runner';

export interface RebuildStatus {
  generations: Generation[];
  /** The rebuild this process runs, if any, with its latest progress. */
  running: { generation: number; startedAt: string; progress: RebuildProgress | null } | null;
  /** How the last rebuild this process ran ended. */
  last: { finishedAt: string; result?: RebuildResult; error?: string } | null;
}

/** Rebuilds started through the admin API: run in the background of the service, one at a time. */
@Injectable()
export class InProcessRebuilds implements BeforeApplicationShutdown {
  private running?: { generation: number; startedAt: string; progress: RebuildProgress | null; done: Promise<void> };
  private last: RebuildStatus['last'] = null;
  private readonly abort = new AbortController();

  constructor(
    private readonly dataSource: DataSource,
    private readonly generations: Generations,
    private readonly kafka: Kafka,
    private readonly config: BaseServiceConfig,
    private readonly manager: GenerationManager,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext('read-model-rebuild');
  }

  /** Starts a rebuild; resolves with the new generation once it exists. 409 if one is running anywhere. */
  async start(): Promise<{ generation: number; startedAt: string }> {
    if (this.running) throw new ConflictException(`generation ${this.running.generation} is being built`);
    const startedAt = new Date().toISOString();
    let progress: RebuildProgress | null = null;
    let announce!: (generation: Generation) => void;
    const created = new Promise<Generation>((resolve) => (announce = resolve));
    const runner = new RebuildRunner({
      dataSource: this.dataSource,
      generations: this.generations,
      kafka: this.kafka,
      ...(this.config.KAFKA_GROUP_PREFIX ? { groupPrefix: this.config.KAFKA_GROUP_PREFIX } : {}),
      signal: this.abort.signal,
      onGeneration: announce,
      onProgress: (latest) => {
        progress = latest;
        if (this.running) this.running.progress = latest;
      },
      logger: { log: (m) => this.logger.info(m), warn: (m) => this.logger.warn(m), error: (m) => this.logger.error(m) },
    });
    const run = runner.run();
    const generation = await Promise.race([created, run.then(() => undefined)]).catch((error: unknown) => {
      if (error instanceof RebuildInProgressError) throw new ConflictException(error.message);
      throw error;
    });
    if (!generation) throw new Error('the rebuild ended before creating its generation');
    const done = run.then(
      async (result) => {
        this.last = { finishedAt: new Date().toISOString(), result };
        this.logger.info({ generation: result.generation, events: result.events, durationMs: result.durationMs }, 'rebuild finished');
        await this.manager.checkForSwitch();
      },
      (error: unknown) => {
        this.last = { finishedAt: new Date().toISOString(), error: error instanceof Error ? error.message : String(error) };
        this.logger.error({ err: error }, 'rebuild failed');
      },
    );
    this.running = { generation: generation.generation, startedAt, progress, done: done.finally(() => (this.running = undefined)) };
    return { generation: generation.generation, startedAt };
  }

  async status(): Promise<RebuildStatus> {
    const running = this.running ? { generation: this.running.generation, startedAt: this.running.startedAt, progress: this.running.progress } : null;
    return { generations: await this.generations.list(), running, last: this.last };
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.abort.abort();
    await this.running?.done;
  }
}

import { Injectable, ServiceUnavailableException } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError } from '@conduct/decider';
import { Generations, generationSchema, Positions, readPositions } from './generations';

/** How long a query may keep reading a generation after another became active. */
const ACTIVE_CACHE_MS = 1000;

/**
 * Where queries read read models: always the active generation, whichever that is now. A
 * switch-over (a rebuild finished) reaches every query within ACTIVE_CACHE_MS, with no restart.
 */
@Injectable()
export class ReadModelStore {
  private cached?: { generation: number; until: number };

  constructor(
    private readonly dataSource: DataSource,
    private readonly generations: Generations,
  ) {}

  /**
   * Runs `fn` in a read-only, repeatable-read transaction whose unqualified table names resolve
   * in the active generation (or `generation`, see readable()): the counts and the page of a
   * report, and its positions, agree.
   */
  async read<T>(fn: (manager: EntityManager) => Promise<T>, generation?: number): Promise<T> {
    const schema = generationSchema(generation ?? (await this.activeGeneration()));
    return this.dataSource.transaction('REPEATABLE READ', async (manager) => {
      await manager.query('SET TRANSACTION READ ONLY');
      await manager.query(`SET LOCAL search_path TO ${schema}, public`);
      return fn(manager);
    });
  }

  /** Offsets (last applied, by topic and partition) the active generation reflects: reports are stamped with them. */
  positions(): Promise<Positions> {
    return this.read(readPositions);
  }

  async activeGeneration(): Promise<number> {
    if (this.cached && this.cached.until > Date.now()) return this.cached.generation;
    const active = await this.generations.active();
    if (!active) throw new ServiceUnavailableException('The read models are not ready yet');
    this.cached = { generation: active.generation, until: Date.now() + ACTIVE_CACHE_MS };
    return active.generation;
  }

  /**
   * A generation asked for by number (`?generation=`, e.g. a snapshot of a report's stamp): any
   * that exists and is no longer being built. 404 when there is none, 422 while it is building.
   */
  async readable(generation: number): Promise<number> {
    const found = await this.generations.get(generation);
    if (!found)
      throw new DomainError(
        'not-found',
        'read-model.generation-not-found',
        `There is no read-model generation ${generation}`,
        undefined,
        'generation',
      );
    if (found.status === 'building') {
      throw new DomainError(
        'invalid',
        'read-model.generation-building',
        `Read-model generation ${generation} is still being built`,
        undefined,
        'generation',
      );
    }
    return generation;
  }

  /** Forgets the cached generation: the next read looks the active one up again. */
  invalidate(): void {
    this.cached = undefined;
  }
}

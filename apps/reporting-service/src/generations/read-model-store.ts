import { Injectable, ServiceUnavailableException } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
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
   * in the active generation: the counts and the page of a report, and its positions, agree.
   */
  async read<T>(fn: (manager: EntityManager) => Promise<T>): Promise<T> {
    const generation = await this.activeGeneration();
    return this.dataSource.transaction('REPEATABLE READ', async (manager) => {
      await manager.query('SET TRANSACTION READ ONLY');
      await manager.query(`SET LOCAL search_path TO ${generationSchema(generation)}, public`);
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

  /** Forgets the cached generation: the next read looks the active one up again. */
  invalidate(): void {
    this.cached = undefined;
  }
}

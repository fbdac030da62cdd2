import { Body, Controller, HttpCode, NotFoundException, Post } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { Roles } from '@conduct/auth';
import { pgPoolOf } from '@conduct/event-store';
import { ViolationServiceConfig } from '../violation-service.config';

const createTable = `CREATE TABLE IF NOT EXISTS bench_baseline (id bigserial PRIMARY KEY, body jsonb NOT NULL, recorded_at timestamptz NOT NULL DEFAULT now())`;
const insert = { name: 'conduct_bench_baseline_insert', text: 'INSERT INTO bench_baseline (body) VALUES ($1)' };

/**
 * The baseline of `npm run bench:http`: a route in the same process, behind the same HTTP stack
 * (token, role guard, body parsing, logging, metrics), that does one plain prepared INSERT of the
 * body it gets. Whatever POST /cases costs beyond it is the price of the command path: validation,
 * the decider, the hash chain. Off unless BENCH_BASELINE_ROUTE=true (a 404 then, like any unknown
 * route), refused in production, and left out of the OpenAPI document.
 */
@ApiExcludeController()
@Controller('bench')
export class BenchBaselineController {
  private ready?: Promise<unknown>;

  constructor(
    private readonly config: ViolationServiceConfig,
    private readonly dataSource: DataSource,
  ) {}

  @Post('baseline')
  @HttpCode(201)
  @Roles('IA_INVESTIGATOR')
  async insert(@Body() body: object): Promise<{ inserted: true }> {
    if (!this.config.benchBaselineRoute) throw new NotFoundException();
    // The pg pool under TypeORM, as the event store's appends use it.
    const pool = pgPoolOf(this.dataSource);
    this.ready ??= this.dataSource.query(createTable);
    await this.ready;
    await pool.query({ ...insert, values: [JSON.stringify(body)] });
    return { inserted: true };
  }
}

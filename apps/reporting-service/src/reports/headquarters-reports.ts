import { Inject, Injectable } from '@nestjs/common';
import { hiddenClasses, Principal, viewersOf } from '@conduct/auth';
import { DomainError } from '@conduct/decider';
import { Clock, CLOCK } from '@conduct/event-sourcing';
import { PersonalDataKeys } from '@conduct/personal-data';
import { readPositions, Positions } from '../generations/generations';
import { ReadModelStore } from '../generations/read-model-store';
import { toCsv } from './csv';
import { ReportDefinition } from './report-definitions';
import { ReportFilters, ReportFormat, ReportQueryDto } from './report-query.dto';
import { ReportRequest } from './report-scope';

/** PostgreSQL's undefined_table: what reading a generation whose schema was dropped meets. */
const UNDEFINED_TABLE = '42P01';

/** A report as JSON: when, for which filters, as of which offsets, then its figures. */
export type StampedReport<Figures extends object> = { generatedAt: string; filters: ReportFilters; positions: Positions } & Figures;

export interface RenderedReport {
  contentType: string;
  /** The read-model generation the figures come from (a response header, so the body of a snapshot's report equals the original's). */
  generation: number;
  /** File name for Content-Disposition, CSV only. */
  fileName?: string;
  body: string | object;
}

/**
 * Runs a headquarters report in the active read-model generation. Figures and positions are read
 * in one repeatable-read transaction, so the stamp names exactly the offsets the figures reflect:
 * a rebuild consumed up to those offsets gives the same numbers.
 */
@Injectable()
export class HeadquartersReports {
  constructor(
    private readonly store: ReadModelStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly personalData: PersonalDataKeys,
  ) {}

  /** The report, from the active generation or the one `query.generation` names. */
  async run<Figures extends object>(
    definition: ReportDefinition<Figures>,
    query: ReportQueryDto,
    principal: Principal,
  ): Promise<{ report: StampedReport<Figures>; generation: number }> {
    const { format: _format, generation: asked, ...filters } = query;
    if (filters.from !== undefined && filters.to !== undefined && Date.parse(filters.from) >= Date.parse(filters.to)) {
      throw new DomainError('invalid', 'report.empty-period', '`to` must be after `from`', undefined, 'to');
    }
    if (filters.basis !== undefined && !definition.countsByBasis) {
      throw new DomainError(
        'invalid',
        'report.basis-not-supported',
        `The ${definition.name} report counts by its own dates; basis is for cases and trend`,
        undefined,
        'basis',
      );
    }
    const generation = asked === undefined ? await this.store.activeGeneration() : await this.store.readable(asked);
    const now = this.clock.now();
    const request = new ReportRequest(principal.scope, filters, now);
    const { figures, positions } = await this.store
      .read(
        async (manager) => ({
          figures: await definition.figures((sql, values) => manager.query(sql, values), request),
          positions: await readPositions(manager),
        }),
        generation,
      )
      .catch((error: unknown) => {
        // A generation asked for by number can be dropped (replaced) between the lookup and the read.
        if (asked !== undefined && (error as { code?: unknown }).code === UNDEFINED_TABLE) {
          throw new DomainError(
            'not-found',
            'read-model.generation-not-found',
            `Read-model generation ${asked} was just dropped`,
            undefined,
            'generation',
          );
        }
        throw error;
      });
    // Names are opened here rather than by the HTTP layer, so that a CSV quotes them as it quotes any cell.
    const shown = definition.withoutNames && !seesNames(principal) ? definition.withoutNames(figures) : await this.personalData.open(figures);
    return { report: { generatedAt: now.toISOString(), filters, positions, ...shown }, generation };
  }

  /** JSON, or CSV when `format=csv` or the caller accepts text/csv (and not JSON first). */
  async render<Figures extends object>(
    definition: ReportDefinition<Figures>,
    query: ReportQueryDto,
    principal: Principal,
    accept?: string,
  ): Promise<RenderedReport> {
    const { report, generation } = await this.run(definition, query, principal);
    if (formatOf(query.format, accept) === 'json') return { contentType: 'application/json; charset=utf-8', generation, body: report };
    const { generatedAt, filters, positions, ...figures } = report;
    const table = definition.csv(figures as unknown as Figures, seesNames(principal));
    const comments = [
      `report: ${definition.name}`,
      `generatedAt: ${generatedAt}`,
      `filters: ${JSON.stringify(filters)}`,
      `positions: ${JSON.stringify(positions)}`,
    ];
    return {
      contentType: 'text/csv; charset=utf-8',
      generation,
      fileName: `${definition.name}-${generatedAt.slice(0, 10)}.csv`,
      body: toCsv(table.header, table.rows, comments),
    };
  }
}

/** Officers' names are in the report for those the redaction policy shows them to. */
const seesNames = (principal: Principal): boolean => !hiddenClasses(viewersOf(principal)).has('names');

/** The explicit `format` wins; otherwise an Accept header that names text/csv (before any JSON) asks for CSV. */
export function formatOf(format: ReportFormat | undefined, accept: string | undefined): ReportFormat {
  if (format) return format;
  if (!accept) return 'json';
  const csv = accept.indexOf('text/csv');
  const json = accept.indexOf('application/json');
  return csv >= 0 && (json < 0 || csv < json) ? 'csv' : 'json';
}

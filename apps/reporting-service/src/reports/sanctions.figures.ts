import { contributions } from './contributions';
import { byText } from './figures';
import { ReportRequest, Sql } from './report-scope';

export interface SanctionFigures {
  /** Sanctions imposed in the period. */
  imposed: number;
  /** By the sanction imposed: how many, and how many of them were later reduced or set aside on appeal. */
  byType: { sanction: string; severity: string; imposed: number; reducedOnAppeal: number; setAsideOnAppeal: number }[];
  /** What stands today of the sanctions imposed in the period, by type (a reduced one counts as what it was reduced to). */
  standing: { sanction: string; count: number }[];
}

export async function sanctionFigures(sql: Sql, request: ReportRequest): Promise<SanctionFigures> {
  const tally = await contributions(sql, request, 'sanctions', [
    'sanctions.imposed',
    'sanctions.reduced',
    'sanctions.set-aside',
    'sanctions.standing',
  ]);
  const reduced = tally.byKey('sanctions.reduced');
  const setAside = tally.byKey('sanctions.set-aside');
  // Keyed "sanction|severity".
  const types = [...tally.byKey('sanctions.imposed')]
    .map(([key, imposed]) => {
      const [sanction = '', severity = ''] = key.split('|');
      return { sanction, severity, imposed, reducedOnAppeal: reduced.get(key) ?? 0, setAsideOnAppeal: setAside.get(key) ?? 0 };
    })
    .sort((a, b) => byText(a.sanction, b.sanction) || byText(a.severity, b.severity));
  return {
    imposed: types.reduce((sum, type) => sum + type.imposed, 0),
    byType: types,
    standing: [...tally.byKey('sanctions.standing')].sort(([a], [b]) => byText(a, b)).map(([sanction, count]) => ({ sanction, count })),
  };
}

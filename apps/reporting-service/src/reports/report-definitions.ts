import { CsvCell } from './csv';
import { ApprovalFigures, approvalFigures } from './approvals.figures';
import { CasesFigures, casesFigures } from './cases.figures';
import { OfficerFigures, officerFigures } from './officers.figures';
import { SanctionFigures, sanctionFigures } from './sanctions.figures';
import { TakedownFigures, takedownFigures } from './takedowns.figures';
import { TrendMonth, trendFigures } from './trend.figures';
import { ReportRequest, Sql } from './report-scope';

/** A report's table for CSV: one header row, then rows. */
export interface CsvTable {
  header: string[];
  rows: CsvCell[][];
}

/** How to compute a report and how to lay it out as one CSV table. */
export interface ReportDefinition<Figures extends object> {
  /** The file name in Content-Disposition. */
  name: string;
  figures(sql: Sql, request: ReportRequest): Promise<Figures>;
  /** `withNames`: whether the caller may see officers' names (the JSON drops them already). */
  csv(figures: Figures, withNames: boolean): CsvTable;
  /** The figures without officers' names, for callers not allowed to see them; absent when a report names nobody. */
  withoutNames?(figures: Figures): Figures;
  /** Whether the report counts cases by the request's `basis`; the others refuse one. */
  countsByBasis?: true;
}

/** Reports without a natural table are written long: one row per figure, keyed where it is broken down. */
const LONG_HEADER = ['figure', 'key', 'value'];
const scalar = (figure: string, value: CsvCell): CsvCell[] => [figure, '', value];

export const casesReport: ReportDefinition<CasesFigures> = {
  name: 'cases',
  figures: casesFigures,
  countsByBasis: true,
  csv: (f) => ({
    header: LONG_HEADER,
    rows: [
      scalar('opened', f.opened),
      scalar('closed', f.closed),
      ...f.openedByStatus.map(({ status, cases }) => ['openedByStatus', status, cases]),
      ...f.byClause.map(({ clause, opened }) => ['openedByClause', clause, opened]),
      ...f.byClause.map(({ clause, closed }) => ['closedByClause', clause, closed]),
    ],
  }),
};

export const takedownsReport: ReportDefinition<TakedownFigures> = {
  name: 'takedowns',
  figures: takedownFigures,
  csv: (f) => ({ header: LONG_HEADER, rows: Object.entries(f).map(([figure, value]) => scalar(figure, value as CsvCell)) }),
};

export const approvalsSummaryReport: ReportDefinition<ApprovalFigures> = {
  name: 'approvals-summary',
  figures: approvalFigures,
  csv: (f) => ({ header: LONG_HEADER, rows: Object.entries(f).map(([figure, value]) => scalar(figure, value as CsvCell)) }),
};

export const sanctionsReport: ReportDefinition<SanctionFigures> = {
  name: 'sanctions',
  figures: sanctionFigures,
  csv: (f) => ({
    header: LONG_HEADER,
    rows: [
      scalar('imposed', f.imposed),
      ...f.byType.map((t) => ['imposedByType', t.sanction, t.imposed]),
      ...f.byType.map((t) => ['reducedOnAppeal', t.sanction, t.reducedOnAppeal]),
      ...f.byType.map((t) => ['setAsideOnAppeal', t.sanction, t.setAsideOnAppeal]),
      ...f.standing.map((s) => ['standingByType', s.sanction, s.count]),
      ...f.byType.map((t) => ['severityByType', t.sanction, t.severity]),
    ],
  }),
};

export const officersReport: ReportDefinition<OfficerFigures> = {
  name: 'officers',
  figures: officerFigures,
  // The early-intervention flags (a list in JSON) go on each officer's line: when each was raised, and the cases behind them.
  csv: (f, withNames) => ({
    header: [
      'serviceNumber',
      ...(withNames ? ['name'] : []),
      'cases',
      'substantiatedFindings',
      'flags',
      'repeatOffender',
      'flagsRaisedAt',
      'flaggedCaseIds',
    ],
    rows: f.officers.map((o) => {
      const flags = f.earlyInterventionFlags.filter((flag) => flag.serviceNumber === o.serviceNumber);
      const flagged = [...new Set(flags.flatMap((flag) => flag.caseIds))];
      return [
        o.serviceNumber,
        ...(withNames ? [o.name] : []),
        o.cases,
        o.substantiatedFindings,
        o.flags,
        o.repeatOffender,
        flags.map((flag) => flag.raisedAt).join(' '),
        flagged.join(' '),
      ];
    }),
  }),
  withoutNames: (f) => ({
    officers: f.officers.map(({ name: _name, ...officer }) => officer),
    earlyInterventionFlags: f.earlyInterventionFlags.map(({ name: _name, ...flag }) => flag),
  }),
};

const TREND_COLUMNS: (keyof TrendMonth)[] = [
  'month',
  'opened',
  'closed',
  'takedownsServed',
  'takedownsRemovedWithinDeadline',
  'takedownComplianceRate',
  'approvalsRequested',
  'approvalsGranted',
  'sanctionsImposed',
];

export const trendReport: ReportDefinition<{ months: TrendMonth[] }> = {
  name: 'trend',
  figures: trendFigures,
  countsByBasis: true,
  csv: (f) => ({ header: TREND_COLUMNS, rows: f.months.map((month) => TREND_COLUMNS.map((column) => month[column])) }),
};

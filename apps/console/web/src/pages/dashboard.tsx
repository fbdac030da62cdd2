import { useEffect, useMemo, useRef, useState } from 'react';
import { api } from '../api';
import { Chart } from '../chart';
import { useConsole } from '../context';
import { formatMonth, formatPakistanTime, formatRate } from '../lib/format';
import { readsLiveChanges } from '../lib/permissions';
import { useLiveChanges } from '../live';
import {
  Basis,
  BASES,
  drillTo,
  nextLevel,
  PLACE_LEVELS,
  PlaceLevel,
  placesBelow,
  ReportFilters,
  ReportName,
  reportPath,
  UnitPlacement,
} from '../lib/report-query';

interface Stamp {
  generatedAt: string;
}
interface TrendReport extends Stamp {
  months: { month: string; opened: number; closed: number }[];
}
interface CasesReport extends Stamp {
  opened: number;
  closed: number;
}
interface TakedownsReport extends Stamp {
  served: number;
  complianceRate: number | null;
}
interface SanctionsReport extends Stamp {
  byType: { sanction: string; imposed: number; reducedOnAppeal: number; setAsideOnAppeal: number }[];
}
interface ApprovalsReport extends Stamp {
  decided: number;
  granted: number;
  grantRate: number | null;
}
interface OfficersReport extends Stamp {
  officers: { serviceNumber: string; name?: string; cases: number; substantiatedFindings: number; flags: number; repeatOffender: boolean }[];
  earlyInterventionFlags: { serviceNumber: string; raisedAt: string }[];
}
interface Figures {
  trend: TrendReport;
  cases: CasesReport;
  sanctions: SanctionsReport;
  approvals: ApprovalsReport;
  officers: OfficersReport;
  takedownsByPlace: { place: string; report: TakedownsReport }[];
  /** The level the places above are at: the figures' own, not the controls' (a new read may be under way). */
  placeLevel: PlaceLevel | undefined;
}

/** Changes arrive over GET /live; reading everything again this often is only the safety net. */
const REFRESH_MS = 60_000;
/** Many changes at once (a busy minute, a rebuild) make one read, this long after the first. */
const LIVE_DEBOUNCE_MS = 1_000;
/** Most places a compliance chart compares at once. */
const MAX_PLACES = 12;

const get = async <T,>(report: ReportName, filters: ReportFilters) => (await api<T>(reportPath(report, filters))).body;

async function readFigures(filters: ReportFilters, units: readonly UnitPlacement[]): Promise<Figures> {
  const level = nextLevel(filters.place);
  const places = level ? placesBelow(units, filters.place, level).slice(0, MAX_PLACES) : [];
  const [trend, cases, sanctions, approvals, officers, ...takedowns] = await Promise.all([
    get<TrendReport>('trend', filters),
    get<CasesReport>('cases', filters),
    get<SanctionsReport>('sanctions', filters),
    get<ApprovalsReport>('approvals/summary', filters),
    get<OfficersReport>('officers', filters),
    ...places.map((place) => get<TakedownsReport>('takedowns', { ...filters, place: drillTo(filters.place, level!, place) })),
  ]);
  return {
    trend,
    cases,
    sanctions,
    approvals,
    officers,
    takedownsByPlace: places.map((place, index) => ({ place, report: takedowns[index]! })),
    placeLevel: level,
  };
}

/** Headquarters: the reports as charts, for a period, a basis and a place, drilled down level by level. */
export function Dashboard() {
  const { t, language, session, viewer } = useConsole();
  const [units, setUnits] = useState<UnitPlacement[] | undefined>();
  // A scoped analyst starts at their own place: the reports are limited to it anyway.
  const [filters, setFilters] = useState<ReportFilters>(() => ({
    basis: 'reported',
    from: `${new Date().getUTCFullYear() - 1}-01-01`,
    place: { province: session.scope?.['province'], range: session.scope?.['range'], district: session.scope?.['district'] },
  }));
  const [figures, setFigures] = useState<Figures | undefined>();
  const [error, setError] = useState<string | undefined>();

  useEffect(() => {
    api<{ items: UnitPlacement[] }>('/api/approval/units').then(
      ({ body }) => setUnits(body.items),
      () => setUnits([]),
    );
  }, []);
  useEffect(() => {
    if (!units) return;
    let current = true;
    const refresh = () =>
      readFigures(filters, units).then(
        (next) => current && (setFigures(next), setError(undefined)),
        (failure: Error) => current && setError(failure.message),
      );
    void refresh();
    refreshNow.current = refresh;
    const timer = setInterval(() => void refresh(), REFRESH_MS);
    return () => {
      current = false;
      clearInterval(timer);
    };
  }, [filters, units]);
  const refreshNow = useRef<() => Promise<unknown>>(() => Promise.resolve());
  const pending = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useLiveChanges(() => {
    pending.current ??= setTimeout(() => {
      pending.current = undefined;
      void refreshNow.current();
    }, LIVE_DEBOUNCE_MS);
  }, readsLiveChanges(viewer));
  useEffect(() => () => clearTimeout(pending.current), []);

  const level = nextLevel(filters.place);
  const choices = useMemo(() => (units && level ? placesBelow(units, filters.place, level) : []), [units, filters.place, level]);
  const months = figures?.trend.months ?? [];
  const csv = (report: ReportName) => (
    <a className="csv" href={reportPath(report, filters, 'csv')} download data-testid={`csv-${report}`}>
      {t('dashboard.csv', { report })}
    </a>
  );

  return (
    <section>
      <h1>{t('dashboard.title')}</h1>
      <form className="filters" onSubmit={(event) => event.preventDefault()}>
        <label>
          {t('dashboard.from')}
          <input type="date" value={filters.from ?? ''} onChange={(event) => setFilters({ ...filters, from: event.target.value || undefined })} />
        </label>
        <label>
          {t('dashboard.to')}
          <input type="date" value={filters.to ?? ''} onChange={(event) => setFilters({ ...filters, to: event.target.value || undefined })} />
        </label>
        <label>
          {t('dashboard.basis')}
          <select value={filters.basis} onChange={(event) => setFilters({ ...filters, basis: event.target.value as Basis })} data-testid="basis">
            {BASES.map((basis) => (
              <option key={basis} value={basis}>
                {t(`dashboard.basis.${basis}`)}
              </option>
            ))}
          </select>
        </label>
        <nav className="breadcrumbs" aria-label={t('dashboard.place')}>
          <button type="button" onClick={() => setFilters({ ...filters, place: {} })} disabled={!filters.place.province}>
            {t('dashboard.national')}
          </button>
          {PLACE_LEVELS.filter((placeLevel) => filters.place[placeLevel]).map((placeLevel: PlaceLevel) => (
            <button
              key={placeLevel}
              type="button"
              onClick={() => setFilters({ ...filters, place: drillTo(filters.place, placeLevel, filters.place[placeLevel]) })}
            >
              {filters.place[placeLevel]}
            </button>
          ))}
        </nav>
        {level && choices.length > 0 && (
          <label>
            {t(`dashboard.level.${level}`)}
            <select
              value=""
              onChange={(event) => setFilters({ ...filters, place: drillTo(filters.place, level, event.target.value) })}
              data-testid="drill"
            >
              <option value="">
                {t('dashboard.allOf', { place: filters.place.district ?? filters.place.range ?? filters.place.province ?? t('dashboard.country') })}
              </option>
              {choices.map((choice) => (
                <option key={choice} value={choice}>
                  {choice}
                </option>
              ))}
            </select>
          </label>
        )}
      </form>
      {error && (
        <p role="alert" className="error">
          {t('common.error', { detail: error })}
        </p>
      )}
      {!figures ? (
        <p>{t('common.loading')}</p>
      ) : (
        <>
          <p className="stamp" data-testid="figures-as-of">
            {t('dashboard.figuresAsOf', { at: formatPakistanTime(figures.trend.generatedAt, language) })}
          </p>
          <div className="grid">
            <article>
              <Chart
                testId="chart-cases-by-month"
                title={t('dashboard.casesByMonth')}
                categories={months.map((month) => formatMonth(month.month, language))}
                series={[
                  { name: t('dashboard.opened'), values: months.map((month) => month.opened) },
                  { name: t('dashboard.closed'), values: months.map((month) => month.closed), type: 'line' },
                ]}
              />
              <p data-testid="cases-totals">{t('dashboard.totals', { opened: figures.cases.opened, closed: figures.cases.closed })}</p>
              {csv('trend')} {csv('cases')}
            </article>
            <article>
              <Chart
                testId="chart-takedowns"
                title={t('dashboard.takedownsByPlace', { level: figures.placeLevel ? t(`dashboard.level.${figures.placeLevel}`) : '' })}
                categories={figures.takedownsByPlace.map(({ place }) => place)}
                series={[
                  {
                    name: t('dashboard.compliance'),
                    values: figures.takedownsByPlace.map(({ report }) =>
                      report.complianceRate === null ? null : Math.round(report.complianceRate * 1000) / 10,
                    ),
                  },
                ]}
                percent
              />
              {csv('takedowns')}
            </article>
            <article>
              <Chart
                testId="chart-sanctions"
                title={t('dashboard.sanctions')}
                categories={figures.sanctions.byType.map((type) => type.sanction)}
                series={[
                  { name: t('dashboard.imposed'), values: figures.sanctions.byType.map((type) => type.imposed) },
                  { name: t('dashboard.reduced'), values: figures.sanctions.byType.map((type) => type.reducedOnAppeal) },
                  { name: t('dashboard.setAside'), values: figures.sanctions.byType.map((type) => type.setAsideOnAppeal) },
                ]}
              />
              {csv('sanctions')}
            </article>
            <article>
              <h2>{t('dashboard.approvals')}</h2>
              <p className="big-figure" data-testid="grant-rate">
                {t('dashboard.grantRate', {
                  rate: formatRate(figures.approvals.grantRate),
                  granted: figures.approvals.granted,
                  decided: figures.approvals.decided,
                })}
              </p>
              {csv('approvals/summary')}
            </article>
            <article className="wide">
              <h2>{t('dashboard.officers')}</h2>
              {figures.officers.officers.length === 0 ? (
                <p>{t('dashboard.none')}</p>
              ) : (
                <table>
                  <thead>
                    <tr>
                      <th scope="col">{t('cases.officer')}</th>
                      <th scope="col">{t('dashboard.cases')}</th>
                      <th scope="col">{t('dashboard.findings')}</th>
                      <th scope="col">{t('dashboard.flags')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {figures.officers.officers.slice(0, 20).map((officer) => (
                      <tr key={officer.serviceNumber}>
                        <td>
                          {officer.serviceNumber}
                          {officer.name ? ` · ${officer.name}` : ''}
                        </td>
                        <td>{officer.cases}</td>
                        <td>{officer.substantiatedFindings}</td>
                        <td>{officer.flags}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
              <h3>{t('dashboard.flagsRaised')}</h3>
              {figures.officers.earlyInterventionFlags.length === 0 ? (
                <p>{t('dashboard.none')}</p>
              ) : (
                <table data-testid="flags">
                  <thead>
                    <tr>
                      <th scope="col">{t('cases.officer')}</th>
                      <th scope="col">{t('dashboard.raisedAt')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {figures.officers.earlyInterventionFlags.slice(0, 20).map((flag) => (
                      <tr key={`${flag.serviceNumber}-${flag.raisedAt}`}>
                        <td>{flag.serviceNumber}</td>
                        <td>{formatPakistanTime(flag.raisedAt, language)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
              {csv('officers')}
            </article>
          </div>
        </>
      )}
    </section>
  );
}

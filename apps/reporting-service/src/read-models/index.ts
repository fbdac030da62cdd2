import { approvalsReport } from '../approvals-report/approvals-report.projection';
import { caseTimeline } from '../case-timeline/case-timeline.projection';
import { liveChanges } from '../live-updates/live-changes.read-model';
import { casesReadModel } from './cases.projection';
import { notificationsReadModel } from './notifications.projection';
import { officersReadModel } from './officers.projection';
import { ReadModel } from './read-model';
import { reportRollups } from './report-rollups';

export type { ReadModel } from './read-model';

/** Every read model of reporting-service: each generation holds all of them. Add new ones here.
 * `officers` reads the `cases` row of a case, so it comes after `cases`; the rollups count the
 * tables of `cases` and `approvals-report`, so they come after both. `live-changes` only notifies
 * (GET /live). */
export const readModels: ReadModel[] = [
  approvalsReport,
  casesReadModel,
  officersReadModel,
  notificationsReadModel,
  caseTimeline,
  reportRollups,
  liveChanges,
];

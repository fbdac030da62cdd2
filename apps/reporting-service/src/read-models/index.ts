import { approvalsReport } from '../approvals-report/approvals-report.read-model';
import { caseTimeline } from '../case-timeline/case-timeline.read-model';
import { casesReadModel } from './cases.read-model';
import { notificationsReadModel } from './notifications.read-model';
import { officersReadModel } from './officers.read-model';
import { ReadModel } from './read-model';

export type { ReadModel } from './read-model';

/** Every read model of reporting-service: each generation holds all of them. Add new ones here.
 * `officers` reads the `cases` row of a case, so it comes after `cases`. */
export const readModels: ReadModel[] = [approvalsReport, casesReadModel, officersReadModel, notificationsReadModel, caseTimeline];

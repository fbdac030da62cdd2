import { approvalsReport } from '../approvals-report/approvals-report.read-model';
import { ReadModel } from './read-model';

export type { ReadModel } from './read-model';

/** Every read model of reporting-service: each generation holds all of them. Add new ones here. */
export const readModels: ReadModel[] = [approvalsReport];

import { CreateApprovalsReport1764000100000 } from './1764000100000-create-approvals-report';

/** reporting-service's own tables, after the shared inbox tables. */
export const reportingMigrations = [CreateApprovalsReport1764000100000];

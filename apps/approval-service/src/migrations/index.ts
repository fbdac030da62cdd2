import { CreateApprovalsList1764000200000 } from './1764000200000-create-approvals-list';
import { CreateOfficialAccountsList1764000300000 } from './1764000300000-create-official-accounts-list';
import { CreateOrgUnits1764011000000 } from '@conduct/approvals-hierarchy';

/** approval-service's own tables (read models), run after the event store's and the messaging tables. */
export const approvalServiceMigrations = [CreateApprovalsList1764000200000, CreateOfficialAccountsList1764000300000, CreateOrgUnits1764011000000];

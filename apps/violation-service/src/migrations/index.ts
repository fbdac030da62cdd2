import { CreateOrgUnits1764011000000 } from '@conduct/approvals-hierarchy';
import { CreateAccessLog1764009000000 } from '@conduct/service-runtime';
import { CreateCasesList1764000400000 } from './1764000400000-create-cases-list';
import { CreateApprovalCoverage1764000500000 } from './1764000500000-create-approval-coverage';
import { CreateOfficerHistory1764000500001 } from './1764000500001-create-officer-history';
import { AddDueProcessToCasesList1764000600000 } from './1764000600000-add-due-process-to-cases-list';
import { AddImportedToCasesList1764000600001 } from './1764000600001-add-imported-to-cases-list';
import { IndexOfficersReports1764000700000 } from './1764000700000-index-officers-reports';

/** violation-service's own tables (read models), run after the event store's and the messaging tables. */
export const violationServiceMigrations = [
  CreateCasesList1764000400000,
  CreateApprovalCoverage1764000500000,
  CreateOfficerHistory1764000500001,
  AddDueProcessToCasesList1764000600000,
  AddImportedToCasesList1764000600001,
  IndexOfficersReports1764000700000,
  CreateAccessLog1764009000000,
  CreateOrgUnits1764011000000,
];

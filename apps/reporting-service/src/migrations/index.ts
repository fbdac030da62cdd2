import { CreateAccessLog1764009000000 } from '@conduct/service-runtime';
import { CreateApprovalsReport1764000100000 } from './1764000100000-create-approvals-report';
import { CreateReadModelGenerations1764000200000 } from './1764000200000-create-read-model-generations';
import { AddReadModelSnapshots1764000300000 } from './1764000300000-add-read-model-snapshots';
import { AddStreamOrderToGenerations1764000400000 } from './1764000400000-add-stream-order-to-generations';
import { CreateAnchoredHeads1764000500000 } from './1764000500000-create-anchored-heads';

/**
 * reporting-service's own tables, after the shared inbox tables. Read models themselves live in
 * generation schemas created at run time (src/generations), not in migrations.
 */
export const reportingMigrations = [
  CreateApprovalsReport1764000100000,
  CreateReadModelGenerations1764000200000,
  AddReadModelSnapshots1764000300000,
  AddStreamOrderToGenerations1764000400000,
  CreateAnchoredHeads1764000500000,
  CreateAccessLog1764009000000,
];

import { EntityManager } from 'typeorm';
import { approvalContracts } from '@conduct/approvals-contracts';
import { EventEnvelope, handlerFor, Topics } from '@conduct/messaging';
import { ConsumerDefinition, ConsumerHandlers } from '@conduct/event-sourcing';
import { NoticeIntake } from './notice-intake';
import { queueAll, skipUnaddressable } from './notice-planning';
import { PlannedNotice } from './notice-queue';

const approvalHandlers = (intake: NoticeIntake): ConsumerHandlers => ({
  ApprovalRequested: handlerFor(approvalContracts, 'ApprovalRequested', async ({ data }, manager) => {
    await manager.query(
      `INSERT INTO notice_approvals (approval_id, requester_id, unit_id, title) VALUES ($1, $2, $3, $4) ON CONFLICT (approval_id) DO NOTHING`,
      [data.approvalId, data.requester.id, data.requester.unitId, data.title],
    );
  }),
  ApprovalGranted: handlerFor(approvalContracts, 'ApprovalGranted', (envelope, manager) =>
    notifyRequester(intake, manager, envelope, envelope.data.approvalId, (title) => ({
      kind: 'approval-granted',
      approvalId: envelope.data.approvalId,
      title,
      validFrom: envelope.data.validFrom,
      validUntil: envelope.data.validUntil,
      conditions: envelope.data.conditions,
    })),
  ),
  ApprovalRejected: handlerFor(approvalContracts, 'ApprovalRejected', (envelope, manager) =>
    notifyRequester(intake, manager, envelope, envelope.data.approvalId, (title) => ({
      kind: 'approval-rejected',
      approvalId: envelope.data.approvalId,
      title,
      reasons: envelope.data.reasons,
    })),
  ),
  ApprovalRevoked: handlerFor(approvalContracts, 'ApprovalRevoked', (envelope, manager) =>
    notifyRequester(intake, manager, envelope, envelope.data.approvalId, (title) => ({
      kind: 'approval-revoked',
      approvalId: envelope.data.approvalId,
      title,
      reason: envelope.data.reason,
    })),
  ),
});

type ApprovalFacts = Extract<PlannedNotice['facts'], { kind: 'approval-granted' | 'approval-rejected' | 'approval-revoked' }>;

/** A decision goes to whoever asked for the approval (their own entry, else their unit's officer-facing one). */
async function notifyRequester(
  intake: NoticeIntake,
  manager: EntityManager,
  envelope: EventEnvelope<object>,
  approvalId: string,
  facts: (title: string) => ApprovalFacts,
): Promise<void> {
  const [approval] = await manager.query<{ requester_id: string; unit_id: string; title: string }[]>(
    `SELECT requester_id, unit_id, title FROM notice_approvals WHERE approval_id = $1`,
    [approvalId],
  );
  if (!approval) return skipUnaddressable(intake, envelope.type, `approval ${approvalId}`);
  const noticeFacts = facts(approval.title);
  await queueAll(intake, manager, envelope, [
    {
      kind: noticeFacts.kind,
      audience: { role: 'OFFICER', serviceNumber: approval.requester_id, unitId: approval.unit_id },
      facts: noticeFacts,
      sendAfter: intake.now(),
      approvalId,
    },
  ]);
}

/** Notices about approvals: a decision goes to whoever asked. */
export const approvalNoticesConsumer: ConsumerDefinition = {
  name: 'notices-approvals',
  topics: [Topics.approvals],
  handlers: (get) => approvalHandlers(get(NoticeIntake)),
};

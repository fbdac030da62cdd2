import { approvalContracts, officialAccountContracts, orgUnitContracts } from '@conduct/approvals-contracts';
import { casesContracts, CaseContractType, OFFICER_STREAM_EVENT_TYPES } from '@conduct/cases-contracts';
import { notificationContracts } from '@conduct/notifications-contracts';
import { approvalsReport } from '../approvals-report/approvals-report.projection';
import { casesReadModel } from './cases.projection';
import { notificationsReadModel } from './notifications.projection';

/*
 * A row keeps its stream's version only if every event of the stream moves it on: a type left
 * out would leave the row a version behind, and moveStreamRow refuses the next event as a gap.
 */
it.each([
  ['cases', casesReadModel, Object.keys(casesContracts).filter((type) => !OFFICER_STREAM_EVENT_TYPES.includes(type as CaseContractType))],
  [
    'approvals-report',
    approvalsReport,
    Object.keys(approvalContracts).filter((type) => !Object.hasOwn(officialAccountContracts, type) && !Object.hasOwn(orgUnitContracts, type)),
  ],
  ['notifications', notificationsReadModel, Object.keys(notificationContracts).filter((type) => !type.startsWith('Webhook'))],
])('%s handles every event type of its streams', (_name, model, streamTypes) => {
  expect(Object.keys(model.handlers).sort()).toEqual(streamTypes.sort());
});

import { casesContracts, CaseContractType, OFFICER_STREAM_EVENT_TYPES } from '@conduct/cases-contracts';
import { casesListHandlers } from './cases-list.projection';

// A row keeps its case's version only if every event of the case moves it on: a type left out would
// leave the row a version behind, and the next event would be refused as a gap (moveStreamRow).
it('handles every event type of a case stream', () => {
  const caseStreamTypes = Object.keys(casesContracts).filter((type) => !OFFICER_STREAM_EVENT_TYPES.includes(type as CaseContractType));
  expect(Object.keys(casesListHandlers).sort()).toEqual(caseStreamTypes.sort());
});

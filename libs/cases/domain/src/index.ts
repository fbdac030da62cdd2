export * from './case.events';
export * from './case.commands';
export * from './case.state';
export { CASE_ROLE_MATRIX } from './case-access';
export { appealableDecision, type AppealableDecision } from './appeal.rules';
export { CASE_STREAM_TYPE, caseDecider, decideCase } from './case.decider';
export { earlyInterventionFor, type OfficerHistory, type StandingFinding } from './early-intervention';
export { stepsOwed } from './due-process.rules';
export * from './officer-record';

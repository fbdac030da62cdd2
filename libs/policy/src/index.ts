export * from './policy-pack';
export * from './policy-errors';
export { parsePolicyPack } from './parse-policy-pack';
export { findClause, reasonsNotApplicable, evaluateClauses } from './applicability';
export {
  requireClause,
  takedownDueDate,
  appealDeadline,
  sanctionSeverity,
  showCauseReplyDueDate,
  dueProcessRequired,
  nextEscalationLevel,
  isEarlyInterventionDue,
} from './pack-rules';
export { PolicyCatalogue } from './policy-catalogue';
export { BUILT_IN_PACKS } from './built-in-packs';
export { isIsoDateOrInstant } from './instant';
export { renderPolicyDocument, describeApplicability } from './policy-document';

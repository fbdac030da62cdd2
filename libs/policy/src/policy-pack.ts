/**
 * A policy pack version: the rules of one province's social-media policy as data, in force from
 * `effectiveFrom` until a later version of a pack for the same province takes over (docs/policy.md,
 * "What follows for the system"). Everything here is plain JSON so packs can be stored, sent in
 * events and written by an admin; `parsePolicyPack` is the only way in from untrusted data.
 */

/** What a video or post shows (SND-1: uniform, vehicles, equipment; SND-2: offices, vehicles). */
export const FEATURES = ['uniform', 'vehicle', 'equipment', 'office-premises'] as const;
export type Feature = (typeof FEATURES)[number];

/** What kind of social-media activity the conduct was. */
export const CONTENT_KINDS = ['video', 'image', 'post', 'comment', 'share', 'live-stream'] as const;
export type ContentKind = (typeof CONTENT_KINDS)[number];

/** Closed so that headquarters reports can group clauses across provinces. */
export const CLAUSE_CATEGORIES = ['pre-approval', 'official-accounts', 'content', 'platform-use', 'takedown'] as const;
export type ClauseCategory = (typeof CLAUSE_CATEGORIES)[number];

/**
 * Facts that excuse conduct a clause would otherwise catch (what the clause allows "with
 * permission"). A clause with `exemptWhen` does not apply when every listed fact is true.
 */
export const EXEMPTING_FACTS = ['approvalCovered', 'usedOfficialAccount', 'platformPermitted'] as const;
export type ExemptingFact = (typeof EXEMPTING_FACTS)[number];

/**
 * When a clause applies to a piece of conduct. Every condition present must hold (a conjunction);
 * a list condition holds when the conduct matches at least one entry. `anyUse` must be stated
 * explicitly for a clause that catches every use, so that an empty or mistyped rule can never
 * silently widen a clause to everything.
 */
export interface ApplicabilityRule {
  /** The clause covers any use of social media (KP-1). Not combinable with narrowing conditions. */
  readonly anyUse?: true;
  /** Only conduct while on duty (PB-1). */
  readonly requiresOnDuty?: true;
  /** Only conduct showing at least one of these features (SND-1, SND-2). */
  readonly features?: readonly Feature[];
  /** Only these kinds of activity (SND-1: videos). */
  readonly kinds?: readonly ContentKind[];
  /** Only these platforms, as lower-case ids (`tiktok`, `facebook`). */
  readonly platforms?: readonly string[];
  /** The clause does not apply when all these facts are true (SND-1: approved and official account). */
  readonly exemptWhen?: readonly ExemptingFact[];
}

export interface PolicyClause {
  /** Stable id that cases, approvals and reports cite, e.g. `SND-1`. */
  readonly id: string;
  readonly title: string;
  readonly text: string;
  readonly category: ClauseCategory;
  readonly appliesWhen: ApplicabilityRule;
}

export const SANCTION_SEVERITIES = ['minor', 'major'] as const;
export type SanctionSeverity = (typeof SANCTION_SEVERITIES)[number];

export interface PolicyPackVersion {
  /** Lower-case kebab id, e.g. `sindh`. */
  readonly packId: string;
  /** Integer, increasing with `effectiveFrom` within a pack. */
  readonly version: number;
  /**
   * `YYYY-MM-DD` (midnight UTC) or an ISO instant with an offset
   * (`2025-01-01T00:00:00+05:00`) when the start must be exact in Pakistan time.
   */
  readonly effectiveFrom: string;
  readonly title: string;
  readonly description: string;
  /** Province ids as in jurisdictions: `sindh`, `khyber-pakhtunkhwa`, `punjab`. */
  readonly provinces: readonly string[];
  readonly clauses: readonly PolicyClause[];
  /** Days from the notice served on the officer to remove content (SND-6). */
  readonly takedownPeriodDays: number;
  /** Days after a finding or sanction in which an appeal may be filed. */
  readonly appealWindowDays: number;
  /** Sanction ids by severity, e.g. `censure` is minor, `dismissal` major. */
  readonly sanctions: { readonly minor: readonly string[]; readonly major: readonly string[] };
  /**
   * The steps owed to an officer before a penalty of the listed severities (the Police (Efficiency
   * and Discipline) Rules): a show-cause notice, a written reply within `showCauseReplyDays` of
   * its service (or the period lapsing), then a personal hearing. `rule` is what a refusal cites.
   */
  readonly dueProcess: { readonly rule: string; readonly showCauseReplyDays: number; readonly requiredFor: readonly SanctionSeverity[] };
  /** Flag an officer with this many substantiated findings within this many days. */
  readonly earlyIntervention: { readonly substantiatedFindings: number; readonly withinDays: number };
  /** Chain of command for escalations, lowest first, e.g. SSP → DIG → AIG → IGP. */
  readonly escalationChain: readonly string[];
  /** Values chosen where the source is silent: field name → why. Documentation only. */
  readonly choices?: Readonly<Record<string, string>>;
}

/** What is known about a piece of conduct when a clause is alleged. */
export interface ConductFacts {
  /** When the conduct happened: it selects the pack version in force. */
  readonly observedAt: Date | string;
  readonly onDuty: boolean;
  /** Absent = none shown. */
  readonly features?: readonly Feature[];
  /** Absent = unknown kind, which matches no `kinds` condition. */
  readonly kinds?: readonly ContentKind[];
  /** Lower-case platform id, e.g. `tiktok`. */
  readonly platform: string;
  readonly usedOfficialAccount?: boolean;
  /** The publication matches an approved, unexpired request (SND-1, SND-2). */
  readonly approvalCovered?: boolean;
  /** The officer holds permission to use this platform (SND-7). */
  readonly platformPermitted?: boolean;
}

export type NotApplicableCode = 'clause-not-in-pack' | 'off-duty' | 'no-listed-feature' | 'kind-not-covered' | 'platform-not-covered' | 'exempt';

export interface NotApplicableReason {
  readonly code: NotApplicableCode;
  /** For people, e.g. `PB-1 applies only on duty`. */
  readonly message: string;
}

export interface ClauseEvaluation {
  readonly clauseId: string;
  readonly applies: boolean;
  /** Empty when the clause applies; every failed condition otherwise. */
  readonly reasons: readonly NotApplicableReason[];
}

export interface PolicyEvaluation {
  readonly packId: string;
  readonly version: number;
  /** `observedAt` as a UTC ISO string. */
  readonly observedAt: string;
  readonly clauses: readonly ClauseEvaluation[];
}

import { evaluateClauses } from './applicability';
import { BUILT_IN_PACKS } from './built-in-packs';
import { toEpochMillis } from './instant';
import { ConflictingPolicyPacksError, NoPolicyInForceError } from './policy-errors';
import { ConductFacts, PolicyEvaluation, PolicyPackVersion } from './policy-pack';

interface DatedPack {
  readonly pack: PolicyPackVersion;
  readonly effectiveFromMillis: number;
}

/**
 * All known pack versions, answering "which rules governed this province at that moment?". A
 * case is judged by the version in force when the conduct happened, not by today's.
 */
export class PolicyCatalogue {
  /** Newest first, so the first match is the version in force. */
  private readonly dated: readonly DatedPack[];

  /** Takes packs already checked by parsePolicyPack; refuses packs that contradict each other. */
  constructor(packs: readonly PolicyPackVersion[]) {
    this.dated = packs
      .map((pack) => ({ pack, effectiveFromMillis: toEpochMillis(pack.effectiveFrom, 'effectiveFrom') }))
      .sort((a, b) => b.effectiveFromMillis - a.effectiveFromMillis);
    assertConsistent(this.dated);
  }

  /** The packs shipped in src/packs/*.json. */
  static builtIn(): PolicyCatalogue {
    return new PolicyCatalogue(BUILT_IN_PACKS);
  }

  /** Every version, newest first. */
  packs(): readonly PolicyPackVersion[] {
    return this.dated.map(({ pack }) => pack);
  }

  /** A specific version, e.g. the one a case recorded; undefined if unknown. */
  find(packId: string, version: number): PolicyPackVersion | undefined {
    return this.dated.find(({ pack }) => pack.packId === packId && pack.version === version)?.pack;
  }

  /** The latest version for the province with effectiveFrom <= at, or NoPolicyInForceError. */
  versionInForce(province: string, at: Date | string): PolicyPackVersion {
    const atMillis = toEpochMillis(at, 'at');
    const inForce = this.dated.find(({ pack, effectiveFromMillis }) => pack.provinces.includes(province) && effectiveFromMillis <= atMillis);
    if (!inForce) {
      const knownProvince = this.dated.some(({ pack }) => pack.provinces.includes(province));
      throw new NoPolicyInForceError(province, new Date(atMillis).toISOString(), knownProvince);
    }
    return inForce.pack;
  }

  /**
   * Whether the alleged clauses (all clauses when none are named) apply to the conduct, under the
   * version in force in the province at `facts.observedAt`; the result names that version.
   */
  evaluate(province: string, facts: ConductFacts, alleged?: readonly string[]): PolicyEvaluation {
    return evaluateClauses(this.versionInForce(province, facts.observedAt), facts, alleged);
  }
}

function assertConsistent(dated: readonly DatedPack[]): void {
  dated.forEach((a, i) =>
    dated.slice(i + 1).forEach((b) => {
      const name = (p: PolicyPackVersion) => `${p.packId} v${p.version}`;
      if (a.pack.packId === b.pack.packId && a.pack.version === b.pack.version) {
        throw new ConflictingPolicyPacksError(`${name(a.pack)} is given twice`);
      }
      // `dated` is newest first, so `a` starts no earlier than `b`: its version must be higher and
      // its start strictly later, or "the latest version" would be ambiguous.
      const sameStart = a.effectiveFromMillis === b.effectiveFromMillis;
      if (a.pack.packId === b.pack.packId && (a.pack.version < b.pack.version || sameStart)) {
        throw new ConflictingPolicyPacksError(
          `${name(a.pack)} and ${name(b.pack)}: versions of a pack must take effect in version order, on different dates`,
        );
      }
      const shared = a.pack.provinces.filter((province) => b.pack.provinces.includes(province));
      if (a.effectiveFromMillis === b.effectiveFromMillis && shared.length > 0) {
        throw new ConflictingPolicyPacksError(
          `${name(a.pack)} and ${name(b.pack)} both take effect for ${shared.join(', ')} at ${a.pack.effectiveFrom}`,
        );
      }
    }),
  );
}

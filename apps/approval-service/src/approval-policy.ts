import { Injectable } from '@nestjs/common';
import { Feature, PolicyReference } from '@conduct/approvals-domain';
import { PolicyCatalogue } from '@conduct/policy';

/**
 * Which policy pack version and clauses an approval decision rests on: the pack in force in
 * the requester's province at the moment of the decision, and its pre-approval clauses that
 * the media's features bring into play (SND-1 for uniform, vehicles, equipment; SND-2 for offices).
 */
@Injectable()
export class ApprovalPolicy {
  constructor(private readonly catalogue: PolicyCatalogue) {}

  forPreApproval(province: string, at: string, features: readonly Feature[]): PolicyReference {
    const pack = this.catalogue.versionInForce(province, at);
    const clauses = pack.clauses
      .filter((clause) => clause.category === 'pre-approval')
      .filter((clause) => !clause.appliesWhen.features || clause.appliesWhen.features.some((feature) => features.includes(feature)))
      .map((clause) => clause.id);
    return { packId: pack.packId, version: pack.version, clauses };
  }
}

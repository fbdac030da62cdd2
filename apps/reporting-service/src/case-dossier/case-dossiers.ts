import { createHash } from 'node:crypto';
import { ForbiddenException, Injectable } from '@nestjs/common';
import { Principal } from '@conduct/auth';
import { buildDossier, DossierInput, DossierStream } from '@conduct/dossier';
import { PolicyCatalogue } from '@conduct/policy';
import { AnchoredHeads } from '../chain-anchors/anchored-heads';
import { officerOf, readCaseTrail, TimelineRow, toVerifiable } from '../case-timeline/case-timeline.handler';
import { ReadModelStore } from '../generations/read-model-store';
import { DossierKeys } from './dossier-keys';

const catalogue = PolicyCatalogue.builtIn();

/** A case's dossier: the zip, what went into it, and its SHA-256 (which the PDF rendering names). */
export interface CaseDossier {
  input: DossierInput;
  rows: TimelineRow[];
  zip: Uint8Array;
  sha256: string;
}

/**
 * Assembles case dossiers from the case timeline read model, which holds every envelope of a case
 * and of its notices and webhook deliveries as published (docs/dossier.md).
 */
@Injectable()
export class CaseDossiers {
  constructor(
    private readonly store: ReadModelStore,
    private readonly keys: DossierKeys,
    private readonly anchoredHeads: AnchoredHeads,
  ) {}

  async build(caseId: string, principal: Principal): Promise<CaseDossier> {
    const { rows } = await readCaseTrail(this.store, caseId, principal);
    // The dossier is the record unredacted: the officer it is about does not take it from here.
    if (principal.serviceNumber !== undefined && principal.serviceNumber === officerOf(caseId, rows))
      throw new ForbiddenException('The dossier of a case about you comes to you through the disciplinary process, not from here');
    const streams = new Map<string, DossierStream>();
    for (const row of rows) {
      const stream = streams.get(row.stream_id) ?? { streamId: row.stream_id, streamType: row.stream_type, envelopes: [] };
      streams.set(row.stream_id, stream);
      stream.envelopes.push(toVerifiable(row));
    }
    for (const stream of streams.values()) stream.envelopes.sort((a, b) => a.streamVersion - b.streamVersion);
    // Each head in the latest anchor of its store, when the trail here reaches it (the anchor may
    // cover events the topics have not brought yet: those wait for a later dossier).
    for (const [streamId, { anchor, ...inclusion }] of await this.anchoredHeads.proofsFor([...streams.keys()])) {
      const stream = streams.get(streamId)!;
      if (inclusion.streamVersion <= (stream.envelopes.at(-1)?.streamVersion ?? 0)) stream.anchored = { anchor: { ...anchor }, ...inclusion };
    }
    const reported = rows.find((row) => row.stream_id === caseId && row.type === 'ViolationReported')?.data as
      { policy?: { packId: string; version: number } } | undefined;
    const policy = reported?.policy ?? { packId: 'unknown', version: 0 };
    const pack = catalogue.find(policy.packId, policy.version);
    const input: DossierInput = {
      caseId,
      asOf: new Date(Math.max(...rows.map((row) => row.recorded_at.getTime()))).toISOString(),
      generatedBy: 'reporting-service',
      policy: {
        ...policy,
        text: `${JSON.stringify(pack ?? { ...policy, missing: 'this pack version is not in the catalogue of the service that built the dossier' }, null, 2)}\n`,
      },
      // The case's own stream first, then the others in the order they began.
      streams: [...streams.values()].sort((a, b) => Number(b.streamId === caseId) - Number(a.streamId === caseId)),
      signer: this.keys.signer,
    };
    const zip = buildDossier(input);
    return { input, rows, zip, sha256: createHash('sha256').update(zip).digest('hex') };
  }
}

import { ServerResponse } from 'node:http';
import { Controller, ForbiddenException, Get, Inject, Res, StreamableFile } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Public, Roles } from '@conduct/auth';
import { buildDossier, DossierStream } from '@conduct/dossier';
import { Clock, CLOCK } from '@conduct/event-sourcing';
import { IdParam } from '@conduct/http';
import { PolicyCatalogue } from '@conduct/policy';
import { AccessAudited } from '@conduct/service-runtime';
import { officerOf, readCaseTrail, toVerifiable } from '../case-timeline/case-timeline.handler';
import { ReadModelStore } from '../generations/read-model-store';
import { DossierKeys, PublishedKey } from './dossier-keys';

const catalogue = PolicyCatalogue.builtIn();

/**
 * The case dossier: the case's trail (its stream and its notices' and webhook deliveries'),
 * exactly as hashed, with the policy pack that judged it, a manifest and an Ed25519 signature, in
 * one zip that `conduct-verify` checks offline. For those who may see the whole record (names
 * included): investigators, disciplinary authorities and administrators, in scope.
 */
@ApiTags('cases')
@Controller()
export class CaseDossierController {
  constructor(
    private readonly store: ReadModelStore,
    private readonly keys: DossierKeys,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get('cases/:caseId/dossier')
  @ApiBearerAuth()
  @AccessAudited('case.dossier')
  @Roles('IA_INVESTIGATOR', 'DISCIPLINARY_AUTHORITY', 'ADMIN')
  @ApiParam({ name: 'caseId', format: 'uuid' })
  @ApiProduces('application/zip')
  @ApiOperation({
    summary: 'The case dossier: every envelope of the case as hashed, the policy pack, a signed manifest (zip; check it with conduct-verify)',
  })
  @ApiOkResponse({
    description: 'A zip: manifest.json, manifest.sig, public-key.pem, streams/…, policy/…, README.txt',
    content: { 'application/zip': {} },
  })
  @ApiForbiddenResponse({ description: 'The case is about the caller' })
  @ApiNotFoundResponse({ description: 'No such case in your scope' })
  async dossier(
    @IdParam('caseId') caseId: string,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) response: ServerResponse,
  ): Promise<StreamableFile> {
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
    const reported = rows.find((row) => row.stream_id === caseId && row.type === 'ViolationReported')?.data as
      { policy?: { packId: string; version: number } } | undefined;
    const policy = reported?.policy ?? { packId: 'unknown', version: 0 };
    const pack = catalogue.find(policy.packId, policy.version);
    const generatedAt = this.clock.now().toISOString();
    const zip = buildDossier({
      caseId,
      generatedAt,
      generatedBy: 'reporting-service',
      policy: {
        ...policy,
        text: `${JSON.stringify(pack ?? { ...policy, missing: 'this pack version is not in the catalogue of the service that built the dossier' }, null, 2)}\n`,
      },
      // The case's own stream first, then the others in the order they began.
      streams: [...streams.values()].sort((a, b) => Number(b.streamId === caseId) - Number(a.streamId === caseId)),
      signer: this.keys.signer,
    });
    response.setHeader('Content-Disposition', `attachment; filename="case-${caseId}-dossier.zip"`);
    return new StreamableFile(zip, { type: 'application/zip', length: zip.length });
  }

  @Get('.well-known/conduct-keys')
  @Public()
  @ApiOperation({ summary: 'The public keys that sign case dossiers (compare a dossier’s key id; pass one to conduct-verify --key)' })
  @ApiOkResponse({ description: '{ keys: [{ keyId, algorithm, use, publicKeyPem, jwk }] }' })
  keysInUse(): { keys: PublishedKey[] } {
    return { keys: this.keys.published() };
  }
}

import { ServerResponse } from 'node:http';
import { Controller, Get, Res, StreamableFile } from '@nestjs/common';
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
import { PersonalDataKeys } from '@conduct/personal-data';
import { IdParam } from '@conduct/http';
import { AccessAudited } from '@conduct/service-runtime';
import { CaseDossiers } from './case-dossiers';
import { DossierKeys, PublishedKey } from './dossier-keys';
import { renderDossierPdf } from './dossier-pdf';

const DOSSIER_READERS = ['IA_INVESTIGATOR', 'DISCIPLINARY_AUTHORITY', 'ADMIN'] as const;

/**
 * The case dossier: the case's trail (its stream and its notices' and webhook deliveries'),
 * exactly as hashed, with the policy pack that judged it, a manifest and an Ed25519 signature, in
 * one zip that `conduct-verify` checks offline; and its rendering for a board as a PDF. For those
 * who may see the whole record (names included): investigators, disciplinary authorities and
 * administrators, in scope (docs/dossier.md).
 */
@ApiTags('cases')
@Controller()
export class CaseDossierController {
  constructor(
    private readonly dossiers: CaseDossiers,
    private readonly keys: DossierKeys,
    private readonly personalData: PersonalDataKeys,
  ) {}

  @Get('cases/:caseId/dossier')
  @ApiBearerAuth()
  @AccessAudited('case.dossier')
  @Roles(...DOSSIER_READERS)
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
    const { zip, sha256 } = await this.dossiers.build(caseId, principal);
    response.setHeader('Content-Disposition', `attachment; filename="case-${caseId}-dossier.zip"`);
    // RFC 9530: the SHA-256 the PDF rendering names, for a client to check what it received.
    response.setHeader('Repr-Digest', `sha-256=:${Buffer.from(sha256, 'hex').toString('base64')}:`);
    return new StreamableFile(zip, { type: 'application/zip', length: zip.length });
  }

  @Get('cases/:caseId/dossier.pdf')
  @ApiBearerAuth()
  @AccessAudited('case.dossier')
  @Roles(...DOSSIER_READERS)
  @ApiParam({ name: 'caseId', format: 'uuid' })
  @ApiProduces('application/pdf')
  @ApiOperation({ summary: 'The case dossier for a board: summary, timeline with each hash, stream heads, and the SHA-256 of the zip it renders' })
  @ApiOkResponse({ description: 'A PDF', content: { 'application/pdf': {} } })
  @ApiForbiddenResponse({ description: 'The case is about the caller' })
  @ApiNotFoundResponse({ description: 'No such case in your scope' })
  async dossierPdf(
    @IdParam('caseId') caseId: string,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) response: ServerResponse,
  ): Promise<StreamableFile> {
    // The zip keeps every envelope as hashed; the board's rendering shows the names (or [erased]).
    const pdf = await renderDossierPdf(await this.dossiers.build(caseId, principal), (value) => this.personalData.open(value));
    response.setHeader('Content-Disposition', `attachment; filename="case-${caseId}-dossier.pdf"`);
    return new StreamableFile(pdf, { type: 'application/pdf', length: pdf.length });
  }

  @Get('.well-known/conduct-keys')
  @Public()
  @ApiOperation({ summary: 'The public keys that sign case dossiers (compare a dossier’s key id; pass one to conduct-verify --key)' })
  @ApiOkResponse({ description: '{ keys: [{ keyId, algorithm, use, publicKeyPem, jwk }] }' })
  keysInUse(): { keys: PublishedKey[] } {
    return { keys: this.keys.published() };
  }
}

import { readFile } from 'node:fs/promises';
import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { HierarchyCopy, parseUnitsSeed } from '@conduct/approvals-hierarchy';
import { placeClaim, UnitClaim } from '@conduct/jurisdiction';
import { ViolationServiceConfig } from '../violation-service.config';

/**
 * Where a unit lies, as violation-service's copy of the hierarchy registry has it (approval-service
 * owns the registry; the copy follows conduct.approvals.v1 and starts from UNITS_SEED_FILE).
 */
@Injectable()
export class UnitPlacements implements OnApplicationBootstrap {
  private readonly copy: HierarchyCopy;

  constructor(
    dataSource: DataSource,
    private readonly config: ViolationServiceConfig,
    private readonly logger: PinoLogger,
  ) {
    this.copy = new HierarchyCopy(dataSource);
    this.logger.setContext(UnitPlacements.name);
  }

  /** The claim checked against the registry copy (422 naming the field if unknown or disagreeing), as the registry places it. */
  async place(claim: UnitClaim, field = 'jurisdiction'): Promise<UnitClaim> {
    return placeClaim(claim, await this.copy.placementOf(claim.unitId), field);
  }

  async onApplicationBootstrap(): Promise<void> {
    const file = this.config.UNITS_SEED_FILE;
    if (!file) return;
    const units = await parseUnitsSeed(file, await readFile(file, 'utf8'));
    const added = await this.copy.seed(units);
    this.logger.info({ file, units: units.length, added }, 'hierarchy copy started from the seed file');
  }
}

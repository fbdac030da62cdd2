import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsBoolean } from 'class-validator';
import { CurrentPrincipal, Principal, Roles } from '@conduct/auth';
import { DomainError } from '@conduct/decider';
import { Clock, CLOCK } from '@conduct/event-sourcing';
import { PersonalDataRetention, RetentionRun } from './personal-data-retention';

export class RetentionRunDto {
  @ApiProperty({ description: 'true: say what the run would erase, and erase nothing' })
  @IsBoolean()
  dryRun!: boolean;
}

/** The retention schedule run on demand (it also runs every RETENTION_INTERVAL_MS): docs/privacy.md. */
@ApiTags('people')
@ApiBearerAuth()
@Controller('retention/runs')
export class RetentionController {
  constructor(
    private readonly retention: PersonalDataRetention,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post()
  @HttpCode(200)
  @Roles('ADMIN')
  @ApiOperation({
    summary:
      'Run the retention schedule now (national ADMIN): erase officers whose cases all closed longer ago than the period; dryRun says who, erasing nothing',
  })
  @ApiOkResponse({ description: '{ dryRun, asOf, cutoff, erased: [{ serviceNumber, lastClosedAt }], held: [{ …, holdIds }] }' })
  async run(@Body() body: RetentionRunDto, @CurrentPrincipal() principal: Principal): Promise<RetentionRun> {
    if (Object.values(principal.scope).some((level) => level !== undefined)) {
      throw new DomainError('forbidden', 'officer-record.national-admin-required', "Only a national administrator acts on a person's data");
    }
    return this.retention.run({ dryRun: body.dryRun, now: this.clock.now() });
  }
}

import { Query } from '@nestjs/cqrs';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Principal } from '@conduct/auth';
import type { AccountSuspension, OfficialAccountDetails } from '@conduct/approvals-domain';

export class GetOfficialAccountQuery extends Query<OfficialAccountView> {
  constructor(
    readonly accountId: string,
    readonly principal: Principal,
  ) {
    super();
  }
}

export class OfficialAccountHistoryEntry {
  @ApiProperty() version!: number;
  @ApiProperty({ example: 'OfficialAccountSuspended' }) type!: string;
  @ApiProperty({ format: 'date-time' }) occurredAt!: string;
  @ApiProperty({ format: 'date-time' }) recordedAt!: string;
  @ApiProperty({ example: { id: 'media-south-1', role: 'MEDIA_TEAM' } }) actor!: { id: string; role: string };
  @ApiProperty({ type: Object }) data!: unknown;
}

/** The account as its stream tells it now, with every event that made it so. */
export class OfficialAccountView {
  @ApiProperty({ format: 'uuid' }) accountId!: string;
  @ApiProperty({ enum: ['active', 'suspended'] }) status!: 'active' | 'suspended';
  @ApiProperty({ description: 'The stream version, also sent as ETag' }) version!: number;
  @ApiProperty({ type: Object, description: 'As registered: platform, handle, url, jurisdiction, mediaTeam, operatedBy, registeredBy, registeredAt' })
  account!: OfficialAccountDetails;
  @ApiPropertyOptional({ type: Object, description: 'Present while suspended: reason, suspendedBy, suspendedAt' }) suspension?: AccountSuspension;
  @ApiProperty({ type: [OfficialAccountHistoryEntry] }) history!: OfficialAccountHistoryEntry[];
}

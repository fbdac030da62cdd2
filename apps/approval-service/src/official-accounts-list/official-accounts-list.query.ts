import { Query } from '@nestjs/cqrs';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Scope } from '@conduct/jurisdiction';
import { OfficialAccountsListQueryDto } from './official-accounts-list.dto';

export class OfficialAccountsListQuery extends Query<OfficialAccountsList> {
  constructor(
    readonly filters: OfficialAccountsListQueryDto,
    readonly scope: Scope,
  ) {
    super();
  }
}

export class OfficialAccountsListItem {
  @ApiProperty({ format: 'uuid' }) accountId!: string;
  @ApiProperty({ example: 'facebook' }) platform!: string;
  @ApiProperty({ example: 'sspkarachisouth' }) handle!: string;
  @ApiPropertyOptional({ type: String, nullable: true }) url!: string | null;
  @ApiProperty({ example: { province: 'sindh', range: 'karachi', district: 'karachi-south', unitId: 'ssp-office-south' } })
  jurisdiction!: { province: string; range: string | null; district: string | null; unitId: string };
  @ApiProperty({ example: { name: 'SSP South media cell', unitId: 'media-south' } }) mediaTeam!: { name: string; unitId: string };
  @ApiProperty({ enum: ['DIG', 'SSP', 'UNIT_HEAD'] }) operatedBy!: string;
  @ApiProperty({ enum: ['active', 'suspended'] }) status!: string;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'Why it was last suspended or reinstated' }) statusReason!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, format: 'date-time' }) statusChangedAt!: string | null;
  @ApiProperty() registeredBy!: string;
  @ApiProperty({ format: 'date-time' }) registeredAt!: string;
  @ApiProperty({ description: 'The stream version the row reflects (the ETag of GET /official-accounts/:id once caught up)' }) version!: number;
}

export class OfficialAccountsList {
  @ApiProperty({ type: [OfficialAccountsListItem] }) items!: OfficialAccountsListItem[];
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
  @ApiProperty() total!: number;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsISO8601, IsNotEmpty, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { Sentences } from '../reasons.dto';

export class IssueShowCauseNoticeDto {
  @ApiProperty({ example: ['Posted a video in uniform without approval (SND-1)'], description: 'The grounds the officer must answer' })
  @Sentences()
  grounds!: string[];

  @ApiProperty({ example: 'reduction-in-rank', description: 'The penalty proposed: a sanction from the list of the case’s policy pack' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  proposedSanction!: string;

  @ApiPropertyOptional({
    example: '2026-03-20T12:00:00Z',
    description: 'When the notice was served on the officer (default: now); the reply is due after the pack’s period',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  servedAt?: string;
}

export class RecordShowCauseReplyDto {
  @ApiProperty({ example: 'The video was filmed off duty, at my brother’s wedding.', description: 'The officer’s written reply, as received' })
  @IsString()
  @MinLength(1)
  @MaxLength(20_000)
  reply!: string;

  @ApiPropertyOptional({ example: '2026-03-22T09:00:00Z', description: 'When the reply was received (default: now); must be by the reply deadline' })
  @IsOptional()
  @IsISO8601({ strict: true })
  receivedAt?: string;
}

export class RecordPersonalHearingDto {
  @ApiProperty({ example: '2026-03-24T09:00:00Z', description: 'When the hearing was held' })
  @IsISO8601({ strict: true })
  heldAt!: string;

  @ApiProperty({ example: true, description: 'false: the officer did not appear and the hearing went on without them' })
  @IsBoolean()
  officerPresent!: boolean;

  @ApiProperty({ example: 'The officer admitted the post and asked for leniency.', description: 'What was said and decided' })
  @IsString()
  @MinLength(3)
  @MaxLength(20_000)
  record!: string;
}

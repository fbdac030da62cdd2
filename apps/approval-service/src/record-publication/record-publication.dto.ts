import { ApiProperty } from '@nestjs/swagger';
import { IsISO8601, IsString, IsUrl, Matches, MaxLength } from 'class-validator';

/** Body of `POST /approvals/:id/publications`: the approved content went out. */
export class RecordPublicationDto {
  @ApiProperty({ example: 'https://facebook.com/sspsouth/videos/1' })
  @IsUrl({ protocols: ['https', 'http'], require_protocol: true })
  @MaxLength(2048)
  url!: string;

  @ApiProperty({ description: 'The official account it went out through' }) @IsString() @MaxLength(128) officialAccountId!: string;

  @ApiProperty({ example: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' })
  @Matches(/^[0-9a-f]{64}$/, { message: 'mediaSha256 must be the SHA-256 of the media as 64 lower-case hex characters' })
  mediaSha256!: string;

  @ApiProperty({ example: '2026-12-02T10:00:00Z' }) @IsISO8601({ strict: true }) publishedAt!: string;
}

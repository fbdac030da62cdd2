import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, Matches } from 'class-validator';

export class GetCaseQueryDto {
  @ApiPropertyOptional({
    example: '2026-03-20T09:00:00.123456Z',
    description: "Show the case as it was recorded at this instant (up to microseconds: an event's recordedAt shows the case right after that event)",
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  // A date and time with its zone, as PostgreSQL reads it: no ISO week or ordinal dates, and no
  // zone-less time that the database would read in its own zone.
  @Matches(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})$/, {
    message: 'asOf must be a date-time with its zone such as 2026-03-20T09:00:00.123456Z (at most 6 fractional digits)',
  })
  asOf?: string;
}

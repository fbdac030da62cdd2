import { ArrayNotEmpty, IsArray, IsBoolean, IsISO8601, IsNotEmpty, IsString } from 'class-validator';
import { JSONSchema } from 'class-validator-jsonschema';

/*
 * Due process before a major penalty (the Police (Efficiency and Discipline) Rules): the
 * show-cause notice, the officer's reply or its lapse, and the personal hearing.
 */

/** `ShowCauseNoticeIssued` v1: the grounds, the penalty proposed and when the officer's written reply is due. */
export class ShowCauseNoticeIssuedV1 {
  @IsString() @IsNotEmpty() caseId!: string;
  @IsString() @IsNotEmpty() showCauseId!: string;
  @JSONSchema({ description: 'The service number of the officer served.' })
  @IsString()
  @IsNotEmpty()
  servedOn!: string;
  @IsArray() @ArrayNotEmpty() @IsString({ each: true }) grounds!: string[];
  @JSONSchema({ description: "A sanction id from the pack's list: the penalty the authority has in mind." })
  @IsString()
  @IsNotEmpty()
  proposedSanction!: string;
  @IsISO8601() servedAt!: string;
  @JSONSchema({ description: "servedAt plus the pack's reply period (dueProcess.showCauseReplyDays)." })
  @IsISO8601()
  replyDueAt!: string;
  @IsString() @IsNotEmpty() issuedBy!: string;
  @IsISO8601() issuedAt!: string;
}

/** `ShowCauseReplyReceived` v1: the officer's written reply, received by its deadline. */
export class ShowCauseReplyReceivedV1 {
  @IsString() @IsNotEmpty() caseId!: string;
  @IsString() @IsNotEmpty() showCauseId!: string;
  @IsString() @IsNotEmpty() reply!: string;
  @IsISO8601() receivedAt!: string;
  @IsString() @IsNotEmpty() recordedBy!: string;
  @IsISO8601() recordedAt!: string;
}

/** `ShowCauseReplyLapsed` v1: no reply came by `replyDueAt`; the proceedings go on without it. */
export class ShowCauseReplyLapsedV1 {
  @IsString() @IsNotEmpty() caseId!: string;
  @IsString() @IsNotEmpty() showCauseId!: string;
  @IsISO8601() replyDueAt!: string;
  @IsISO8601() lapsedAt!: string;
}

/** `PersonalHearingHeld` v1: with the officer present, or without them when they did not appear. */
export class PersonalHearingHeldV1 {
  @IsString() @IsNotEmpty() caseId!: string;
  @IsString() @IsNotEmpty() showCauseId!: string;
  @IsISO8601() heldAt!: string;
  @IsBoolean() officerPresent!: boolean;
  @JSONSchema({ description: 'What was said and decided at the hearing.' })
  @IsString()
  @IsNotEmpty()
  record!: string;
  @IsString() @IsNotEmpty() heldBy!: string;
  @IsISO8601() recordedAt!: string;
}

import { StreamTransition } from '@conduct/http';
import { CaseChanged } from '../case-stream';
import { IssueShowCauseNoticeDto, RecordPersonalHearingDto, RecordShowCauseReplyDto } from './due-process.dto';

export class IssueShowCauseNoticeCommand extends StreamTransition<IssueShowCauseNoticeDto, CaseChanged & { showCauseId: string }> {}
export class RecordShowCauseReplyCommand extends StreamTransition<RecordShowCauseReplyDto, CaseChanged> {}
export class RecordPersonalHearingCommand extends StreamTransition<RecordPersonalHearingDto, CaseChanged> {}

import { StreamCommandContext, StreamTransition } from '@conduct/http';
import { CaseChanged } from '../case-stream';
import { ConfirmContentRemovalDto, IssueTakedownNoticeDto } from './takedown.dto';

export class IssueTakedownNoticeCommand extends StreamTransition<IssueTakedownNoticeDto, CaseChanged & { noticeId: string }> {}

export class ConfirmContentRemovalCommand extends StreamTransition<ConfirmContentRemovalDto, CaseChanged> {
  constructor(
    context: StreamCommandContext,
    body: ConfirmContentRemovalDto,
    readonly noticeId: string,
  ) {
    super(context, body);
  }
}

import { StreamCommandContext } from '@conduct/service-runtime';
import { CaseTransition } from '../case-transition';
import { ConfirmContentRemovalDto, IssueTakedownNoticeDto } from './takedown.dto';

export class IssueTakedownNoticeCommand extends CaseTransition<IssueTakedownNoticeDto> {}

export class ConfirmContentRemovalCommand extends CaseTransition<ConfirmContentRemovalDto> {
  constructor(
    context: StreamCommandContext,
    body: ConfirmContentRemovalDto,
    readonly noticeId: string,
  ) {
    super(context, body);
  }
}

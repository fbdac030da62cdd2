import { StreamCommandContext, StreamTransition } from '@conduct/http';
import { CaseChanged } from '../case-stream';
import { DecideAppealDto, FileAppealDto } from './appeal.dto';

export class FileAppealCommand extends StreamTransition<FileAppealDto, CaseChanged & { appealId: string }> {}

export class DecideAppealCommand extends StreamTransition<DecideAppealDto, CaseChanged> {
  constructor(
    context: StreamCommandContext,
    body: DecideAppealDto,
    readonly appealId: string,
  ) {
    super(context, body);
  }
}

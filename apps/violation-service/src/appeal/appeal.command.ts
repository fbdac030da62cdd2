import { StreamCommandContext } from '@conduct/service-runtime';
import { CaseTransition } from '../case-transition';
import { DecideAppealDto, FileAppealDto } from './appeal.dto';

export class FileAppealCommand extends CaseTransition<FileAppealDto> {}

export class DecideAppealCommand extends CaseTransition<DecideAppealDto> {
  constructor(
    context: StreamCommandContext,
    body: DecideAppealDto,
    readonly appealId: string,
  ) {
    super(context, body);
  }
}

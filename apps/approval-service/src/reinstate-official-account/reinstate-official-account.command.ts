import { StreamCommandContext } from '@conduct/service-runtime';
import { ReinstateOfficialAccountDto } from './reinstate-official-account.dto';

export class ReinstateOfficialAccountCommand {
  constructor(
    readonly context: StreamCommandContext,
    readonly body: ReinstateOfficialAccountDto,
  ) {}
}

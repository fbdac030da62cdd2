import { StreamCommandContext } from '@conduct/service-runtime';
import { SuspendOfficialAccountDto } from './suspend-official-account.dto';

export class SuspendOfficialAccountCommand {
  constructor(
    readonly context: StreamCommandContext,
    readonly body: SuspendOfficialAccountDto,
  ) {}
}

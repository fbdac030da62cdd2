import { StreamTransition } from '@conduct/http';
import { OfficialAccountChanged } from '../official-account-stream';
import { SuspendOfficialAccountDto } from './suspend-official-account.dto';

export class SuspendOfficialAccountCommand extends StreamTransition<SuspendOfficialAccountDto, OfficialAccountChanged> {}

import { StreamTransition } from '@conduct/http';
import { OfficialAccountChanged } from '../official-account-stream';
import { ReinstateOfficialAccountDto } from './reinstate-official-account.dto';

export class ReinstateOfficialAccountCommand extends StreamTransition<ReinstateOfficialAccountDto, OfficialAccountChanged> {}

import { StreamTransition } from '@conduct/service-runtime';
import { CaseChanged } from '../case-stream';
import { ImposeSanctionDto } from './impose-sanction.dto';

export class ImposeSanctionCommand extends StreamTransition<ImposeSanctionDto, CaseChanged> {}

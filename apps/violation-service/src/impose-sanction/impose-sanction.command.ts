import { StreamTransition } from '@conduct/http';
import { CaseChanged } from '../case-stream';
import { ImposeSanctionDto } from './impose-sanction.dto';

export class ImposeSanctionCommand extends StreamTransition<ImposeSanctionDto, CaseChanged> {}

import { CaseTransition } from '../case-transition';
import { ImposeSanctionDto } from './impose-sanction.dto';

export class ImposeSanctionCommand extends CaseTransition<ImposeSanctionDto> {}

import { CaseTransition } from '../case-transition';
import { RecordFindingDto } from './record-finding.dto';

export class RecordFindingCommand extends CaseTransition<RecordFindingDto> {}

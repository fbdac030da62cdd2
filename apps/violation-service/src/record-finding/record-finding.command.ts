import { StreamTransition } from '@conduct/http';
import { CaseChanged } from '../case-stream';
import { RecordFindingDto } from './record-finding.dto';

export class RecordFindingCommand extends StreamTransition<RecordFindingDto, CaseChanged> {}

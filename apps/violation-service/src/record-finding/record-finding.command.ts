import { StreamTransition } from '@conduct/service-runtime';
import { CaseChanged } from '../case-stream';
import { RecordFindingDto } from './record-finding.dto';

export class RecordFindingCommand extends StreamTransition<RecordFindingDto, CaseChanged> {}

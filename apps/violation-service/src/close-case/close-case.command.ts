import { StreamTransition } from '@conduct/http';
import { CaseChanged } from '../case-stream';
import { CloseCaseDto, ReopenCaseDto } from './close-case.dto';

export class CloseCaseCommand extends StreamTransition<CloseCaseDto, CaseChanged> {}
export class ReopenCaseCommand extends StreamTransition<ReopenCaseDto, CaseChanged> {}

import { CaseTransition } from '../case-transition';
import { CloseCaseDto, ReopenCaseDto } from './close-case.dto';

export class CloseCaseCommand extends CaseTransition<CloseCaseDto> {}
export class ReopenCaseCommand extends CaseTransition<ReopenCaseDto> {}

import { CaseTransition } from '../case-transition';
import { AddEvidenceDto, AddNoteDto, AssignInvestigatorDto } from './investigate-case.dto';

export class AssignInvestigatorCommand extends CaseTransition<AssignInvestigatorDto> {}
export class AddEvidenceCommand extends CaseTransition<AddEvidenceDto> {}
export class AddNoteCommand extends CaseTransition<AddNoteDto> {}

import { StreamTransition } from '@conduct/http';
import { CaseChanged } from '../case-stream';
import { AddEvidenceDto, AddNoteDto, AssignInvestigatorDto } from './investigate-case.dto';

export class AssignInvestigatorCommand extends StreamTransition<AssignInvestigatorDto, CaseChanged> {}
export class AddEvidenceCommand extends StreamTransition<AddEvidenceDto, CaseChanged & { evidenceId: string }> {}
export class AddNoteCommand extends StreamTransition<AddNoteDto, CaseChanged & { noteId: string }> {}

import type { ServerResponse } from 'node:http';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CaseChanged } from './case-stream';

export class CaseChangedView {
  @ApiProperty() caseId!: string;
  @ApiProperty({ example: 'open' }) status!: string;
  @ApiPropertyOptional({ example: 'found', description: 'Where the disciplinary track stands' }) stage?: string;
  @ApiProperty({ example: 2, description: 'The stream version, also sent as ETag: pass it as If-Match on the next transition.' })
  version!: number;

  @ApiPropertyOptional({ format: 'uuid', description: 'POST /evidence: the new evidence' }) evidenceId?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'POST /notes: the new note' }) noteId?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'POST /takedown-notices: the new notice' }) noticeId?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'POST /appeals: the new appeal' }) appealId?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'POST /show-cause-notice: the new show-cause notice' }) showCauseId?: string;
}

type CreatedId = Pick<CaseChangedView, 'evidenceId' | 'noteId' | 'noticeId' | 'appealId' | 'showCauseId'>;

/** The answer to a transition: status, stage and version (the version also as ETag), plus any id the step created. */
export function changedView(changed: CaseChanged, response: ServerResponse, created: CreatedId = {}): CaseChangedView {
  response.setHeader('ETag', `"${changed.version}"`);
  const { events: _events, ...view } = changed;
  return { ...view, ...created };
}

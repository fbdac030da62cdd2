import type { ServerResponse } from 'node:http';
import { ApiProperty } from '@nestjs/swagger';
import { ApprovalChanged } from './approval-stream';

export class ApprovalChangedView {
  @ApiProperty() approvalId!: string;
  @ApiProperty({ example: 'granted' }) status!: string;
  @ApiProperty({ example: 2, description: 'The stream version, also sent as ETag: pass it as If-Match on the next transition.' })
  version!: number;
}

/** The answer to a transition: status and version, with the version as ETag. */
export function changedView(changed: ApprovalChanged, response: ServerResponse): ApprovalChangedView {
  response.setHeader('ETag', `"${changed.version}"`);
  return { approvalId: changed.approvalId, status: changed.status, version: changed.version };
}

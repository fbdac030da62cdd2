import { canonicalJson } from './canonical-json';
import type { HashedEventFields } from './events';

/**
 * eventHashInput(event) cut around its two large members, so that append sends the data and
 * metadata once and the database reassembles the canonical JSON for hashing:
 *   '{"data":' + data + afterData + metadata + afterMetadata
 * Keys are written in sorted order by hand; a unit test holds this equal to eventHashInput.
 */
export interface AppendParts {
  data: string;
  metadata: string;
  afterData: string;
  afterMetadata: string;
}

export function appendParts(event: HashedEventFields): AppendParts {
  return {
    data: canonicalJson(event.data),
    metadata: canonicalJson(event.metadata),
    afterData: `,"eventId":${JSON.stringify(event.eventId)},"metadata":`,
    afterMetadata:
      `,"schemaVersion":${canonicalJson(event.schemaVersion)},"streamId":${JSON.stringify(event.streamId)},` +
      `"streamType":${JSON.stringify(event.streamType)},"streamVersion":${canonicalJson(event.streamVersion)},` +
      `"type":${JSON.stringify(event.type)}}`,
  };
}

export function assembleCanonical(parts: AppendParts): string {
  return `{"data":${parts.data}${parts.afterData}${parts.metadata}${parts.afterMetadata}`;
}

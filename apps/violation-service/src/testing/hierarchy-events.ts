import { randomBytes, randomUUID } from 'node:crypto';
import { Producer } from 'kafkajs';
import { UnitMovedV1, UnitRegisteredV1 } from '@conduct/approvals-contracts';
import { EventEnvelope, toKafkaMessage, Topics } from '@conduct/messaging';
import { TestService } from '@conduct/service-testing';
import { eventually } from '@conduct/testing';

type UnitEvent = { type: 'UnitRegistered'; data: UnitRegisteredV1 } | { type: 'UnitMoved'; data: UnitMovedV1 };

/** A unit's event as approval-service's relay puts it on conduct.approvals.v1. */
function unitEnvelope({ type, data }: UnitEvent, streamVersion: number): EventEnvelope {
  const now = new Date().toISOString();
  const actor = { id: 'admin-hq', role: 'ADMIN' };
  const place = type === 'UnitMoved' ? data.to : data;
  return {
    eventId: randomUUID(),
    type,
    schemaVersion: 1,
    streamId: `org-unit:${data.unitId}`,
    streamType: 'org-unit',
    streamVersion,
    occurredAt: now,
    recordedAt: now,
    actor,
    correlationId: randomUUID(),
    jurisdiction: { ...place, unitId: data.unitId },
    data: { ...data },
    prevHash: '0'.repeat(64),
    hash: randomBytes(32).toString('hex'),
  };
}

/** Publishes a unit's events (versions first, first + 1, …) as approval-service would, and waits until the service's copy shows the last one. */
export async function publishUnitEvents(service: TestService, producer: Producer, events: UnitEvent[], first = 1): Promise<void> {
  const envelopes = events.map((event, index) => unitEnvelope(event, first + index));
  await producer.send({ topic: Topics.approvals, messages: envelopes.map(toKafkaMessage) });
  const { unitId } = events[0]!.data;
  await eventually(
    async () =>
      (await service.db.query('SELECT 1 FROM org_units WHERE unit_id = $1 AND last_stream_version = $2', [unitId, envelopes.at(-1)!.streamVersion]))
        .rowCount === 1,
    { timeoutMs: 60_000, what: `${unitId} at version ${envelopes.at(-1)!.streamVersion} in the hierarchy copy` },
  );
}

export const registered = (unitId: string, place: { province: string; range?: string; district?: string }): UnitEvent => ({
  type: 'UnitRegistered',
  data: { unitId, name: `Unit ${unitId}`, ...place, registeredBy: 'admin-hq', registeredAt: new Date().toISOString() },
});

import { caseTimelineScenario } from '../testing/case-timeline-events';
import { VerifiableEvent, verifyStreamEvents, verifyTimeline } from './timeline-verification';

const verifiable = (envelopes: ReturnType<typeof caseTimelineScenario>['caseEnvelopes']): VerifiableEvent[] =>
  envelopes.map((e) => ({ ...e, metadata: e.metadata }));

it('finds published streams intact, whatever order the events come in, listing streams as they first appear', () => {
  const { caseEnvelopes, noticeEnvelopes, caseId, noticeStreamId } = caseTimelineScenario();
  const result = verifyTimeline(verifiable([...noticeEnvelopes, ...caseEnvelopes].reverse()));
  expect(result).toEqual({
    intact: true,
    streams: [
      { streamId: caseId, streamType: 'case', status: 'intact', eventsChecked: 7 },
      { streamId: noticeStreamId, streamType: 'notification', status: 'intact', eventsChecked: 2 },
    ],
  });
});

it('calls data edited after hashing tampered, at that version', () => {
  const { caseEnvelopes } = caseTimelineScenario({ tamperVersion: 4 });
  expect(verifyStreamEvents(verifiable(caseEnvelopes))).toMatchObject({
    status: 'tampered',
    eventsChecked: 4,
    brokenAt: { streamVersion: 4, reason: 'hash-mismatch' },
  });
});

it('calls a missing version incomplete, naming what is missing', () => {
  const { caseEnvelopes } = caseTimelineScenario({ dropVersion: 2 });
  expect(verifyStreamEvents(verifiable(caseEnvelopes))).toMatchObject({
    status: 'incomplete',
    brokenAt: { streamVersion: 3, reason: 'version-gap' },
    missing: { fromVersion: 2, toVersion: 2 },
  });
  const { caseEnvelopes: withoutFirst } = caseTimelineScenario({ dropVersion: 1 });
  expect(verifyStreamEvents(verifiable(withoutFirst))).toMatchObject({ status: 'incomplete', missing: { fromVersion: 1, toVersion: 1 } });
});

it('calls a re-linked or duplicated version tampered', () => {
  const { caseEnvelopes } = caseTimelineScenario();
  const relinked = caseEnvelopes.map((e) => (e.streamVersion === 3 ? { ...e, prevHash: caseEnvelopes[0]!.hash } : e));
  expect(verifyStreamEvents(verifiable(relinked))).toMatchObject({ status: 'tampered', brokenAt: { streamVersion: 3, reason: 'chain-broken' } });
  const replaced = [...caseEnvelopes, { ...caseEnvelopes[4]!, eventId: 'another' }];
  expect(verifyStreamEvents(verifiable(replaced))).toMatchObject({ status: 'tampered', brokenAt: { streamVersion: 5 } });
});

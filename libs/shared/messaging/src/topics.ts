/** The integration topics (DESIGN.md, "Delivery between services"). Message key = stream id. */
export const Topics = {
  approvals: 'conduct.approvals.v1',
  cases: 'conduct.cases.v1',
  notifications: 'conduct.notifications.v1',
} as const;

export type Topic = (typeof Topics)[keyof typeof Topics];

/** Dead letters of a topic: messages that failed validation, with the reason in a header. */
export const deadLetterTopic = (topic: string): string => `${topic}.dlq`;

/**
 * Where each service publishes the Merkle root of its stream heads (a ChainAnchor, key = service):
 * not an event topic, so it has no dead letters and no consumer groups.
 */
export const ANCHORS_TOPIC = 'conduct.anchors.v1';

/** Every topic the system needs, dead-letter topics included: what the infra scripts create. */
export const allTopics = (): string[] => [...Object.values(Topics).flatMap((topic) => [topic, deadLetterTopic(topic)]), ANCHORS_TOPIC];

/** Partitions per topic: enough for a few replicas to share the load, ordered per stream id. */
export const TOPIC_PARTITIONS = 6;

/** Topic settings the infra scripts apply. Kept forever: a new or rebuilt read model reads every topic from the beginning. */
export const TOPIC_CONFIG: Readonly<Record<string, string>> = { 'retention.ms': '-1' };

/** Kafka headers on every published event: enough to route or filter without parsing the value. */
export const EnvelopeHeaders = {
  eventType: 'conduct-event-type',
  schemaVersion: 'conduct-schema-version',
  correlationId: 'conduct-correlation-id',
} as const;

/** Headers the inbox consumer adds when it moves a message to `<topic>.dlq`. */
export const DeadLetterHeaders = {
  reason: 'conduct-dlq-reason',
  originalTopic: 'conduct-dlq-original-topic',
  originalPartition: 'conduct-dlq-original-partition',
  originalOffset: 'conduct-dlq-original-offset',
  consumer: 'conduct-dlq-consumer',
} as const;

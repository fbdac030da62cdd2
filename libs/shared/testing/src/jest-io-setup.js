// Integration and end-to-end tests talk to real services: give them time, and keep kafkajs's
// one-off partitioner notice out of the output.
process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
jest.setTimeout(Number(process.env.CONDUCT_TEST_TIMEOUT_MS ?? 30_000));

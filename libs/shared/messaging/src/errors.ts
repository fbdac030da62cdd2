/** `publishPending()` found another relay holding the lock for this name and database. */
export class RelayNotActiveError extends Error {
  constructor(relayName: string) {
    super(`outbox relay "${relayName}" is not active: another instance holds its lock`);
    this.name = 'RelayNotActiveError';
  }
}

/** The consumer did not join its group in time (broker down, topics missing, group stuck). */
export class ConsumerJoinTimeoutError extends Error {
  constructor(consumerName: string, timeoutMs: number) {
    super(`consumer "${consumerName}" did not join its group within ${timeoutMs} ms`);
    this.name = 'ConsumerJoinTimeoutError';
  }
}

export * from './official-account.events';
export * from './official-account.commands';
export * from './official-account.stream-id';
export * from './official-account.decider';

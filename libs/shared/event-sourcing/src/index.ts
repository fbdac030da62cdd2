export * from './clock';
export * from './event-sourcing.module';
export * from './periodic-run';
export * from './due-work.watcher';
export * from './stream-commands';
export * from './messaging-lifecycle';
export * from './migrate';
export * from './backlog-meter';

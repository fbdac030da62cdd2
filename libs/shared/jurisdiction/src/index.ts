export * from './jurisdiction';
export * from './registry';

// Test support only: imported by specs, never by production code.
export * from './topic-recorder';
export { fastPathDisagreements, mutationsOf } from './fast-path-agreement';

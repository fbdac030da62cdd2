// Test support only: imported by specs, never by production code.
export { fastPathDisagreements, mutationsOf } from './fast-path-agreement';

export * from './service-app';
export * from './system';
export * from './invariants';
export * from './authorization-matrix';
export * from './api-fuzz';

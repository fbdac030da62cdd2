export * from './infra';
export * from './database';
export * from './eventually';
export * from './kafka';
export * from './system';
export * from './service-app';

export * from './service-app';
export * from './system';

export * from './service-config';
export * from './load-config';

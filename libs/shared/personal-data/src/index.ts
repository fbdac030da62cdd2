export * from './sealing';
export * from './keystore';
export * from './keystore-schema';

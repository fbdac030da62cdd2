export * from './canonical-json';
export * from './envelope-chain';
export * from './dossier';
export * from './anchor-proof';

export * from './infra';
export * from './database';
export * from './eventually';
export * from './kafka';
export * from './smtp-catcher';
export * from './webhook-receiver';
export * from './tcp-proxy';
export * from './own-infra';

export * from './role';
export * from './principal';
export * from './scope';
export * from './token';
export * from './local-issuer';
export * from './decorators';
export * from './jwt-auth.guard';
export * from './auth.module';

export * from './service-runtime.module';
export * from './bootstrap';
export * from './access-audit/access-audit';
export * from './access-audit/access-log.controller';
export * from './access-audit/migrations/1764009000000-create-access-log';
export * from './personal-data/personal-data';

// What a service needs to keep a copy of the hierarchy registry that approval-service owns (ADR 10).
export * from './migrations/1764011000000-create-org-units';
export * from './org-units.projection';
export * from './units-seed';
export * from './hierarchy-copy';

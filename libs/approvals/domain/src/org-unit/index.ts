export * from './org-unit.decider';

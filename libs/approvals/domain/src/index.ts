export * from './approval.events';
export * from './approval.commands';
export * from './approval.decider';
export * from './official-account';
export * from './org-unit';
export * from './approval.state';
export { refusalIn } from './publication.rules';

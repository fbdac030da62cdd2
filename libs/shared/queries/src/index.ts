export * from './filtered-page';

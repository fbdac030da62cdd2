// class-transformer keeps its decorators' metadata (@Type of nested classes and the rest) in a storage its index does not export.
declare module 'class-transformer/cjs/storage' {
  export { defaultMetadataStorage } from 'class-transformer/types/storage';
}

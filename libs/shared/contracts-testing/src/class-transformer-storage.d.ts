// class-transformer keeps the @Type metadata of nested classes in a storage that its index does not export.
declare module 'class-transformer/cjs/storage' {
  export { defaultMetadataStorage } from 'class-transformer/types/storage';
}

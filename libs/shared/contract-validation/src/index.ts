export { instanceIfValid } from './contract-fast-path';

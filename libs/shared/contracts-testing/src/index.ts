// Test support only: imported by the contracts libraries' specs, never by production code.
export { describeAsyncApiContracts, documentedExample } from './asyncapi-contracts';
export { renderAsyncApi, type ContractCatalogue } from './asyncapi-document';

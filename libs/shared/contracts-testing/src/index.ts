// Test support only: imported by the contracts libraries' specs, never by production code.
export { describeAsyncApiContracts, type ContractCatalogue } from './asyncapi-contracts';

import { describeAsyncApiContracts } from '@conduct/contracts-testing';
import { casesContracts } from './index';

// docs/asyncapi.yaml is the public description of conduct.cases.v1: see describeAsyncApiContracts.
describeAsyncApiContracts('conduct.cases.v1', casesContracts);

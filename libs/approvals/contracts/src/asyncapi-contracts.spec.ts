import { describeAsyncApiContracts } from '@conduct/contracts-testing';
import { approvalContracts } from './index';

// docs/asyncapi.yaml is the public description of conduct.approvals.v1: see describeAsyncApiContracts.
describeAsyncApiContracts('conduct.approvals.v1', approvalContracts);

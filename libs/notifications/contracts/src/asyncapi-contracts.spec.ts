import { describeAsyncApiContracts } from '@conduct/contracts-testing';
import { notificationContracts } from './index';

// docs/asyncapi.yaml is the public description of conduct.notifications.v1: see describeAsyncApiContracts.
describeAsyncApiContracts('conduct.notifications.v1', notificationContracts);

/**
 * `npm run docs:asyncapi`: rewrites the `data` schemas in docs/asyncapi.yaml from the contract
 * classes (see libs/shared/contracts-testing/src/asyncapi-document.ts). Run it after changing a
 * contract; each context's contract test fails until you do.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { approvalContracts } from '../libs/approvals/contracts/src';
import { casesContracts } from '../libs/cases/contracts/src';
import { notificationContracts } from '../libs/notifications/contracts/src';
import { renderAsyncApi } from '../libs/shared/contracts-testing/src/asyncapi-document';

const target = join(__dirname, '..', 'docs', 'asyncapi.yaml');
writeFileSync(target, renderAsyncApi(readFileSync(target, 'utf8'), [approvalContracts, casesContracts, notificationContracts]));
console.log(`wrote ${target}`);

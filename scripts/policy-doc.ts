/**
 * `npm run docs:policy`: rewrites docs/policy.md from the built-in policy packs (see
 * libs/policy/src/policy-document.ts). Run it after changing a pack; a unit test fails until you do.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUILT_IN_PACKS, renderPolicyDocument } from '../libs/policy/src';

const target = join(__dirname, '..', 'docs', 'policy.md');
writeFileSync(target, renderPolicyDocument(BUILT_IN_PACKS));
console.log(`wrote ${target}`);

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUILT_IN_PACKS } from './built-in-packs';
import { describeApplicability, renderPolicyDocument } from './policy-document';

describe('docs/policy.md', () => {
  it('is what the built-in packs say (run `npm run docs:policy` after changing a pack)', () => {
    const committed = readFileSync(join(__dirname, '../../../docs/policy.md'), 'utf8');
    expect(committed).toBe(renderPolicyDocument(BUILT_IN_PACKS));
  });

  it('puts each clause’s conditions in words', () => {
    expect(
      describeApplicability({ kinds: ['video', 'live-stream'], features: ['uniform'], exemptWhen: ['approvalCovered', 'usedOfficialAccount'] }),
    ).toBe(
      'only video or live-stream, showing uniform; not when the publication is covered by a granted, unexpired approval and it went out through a registered official account',
    );
    expect(describeApplicability({ requiresOnDuty: true })).toBe('only conduct while on duty');
    expect(describeApplicability({ anyUse: true })).toBe('any use of social media');
  });
});

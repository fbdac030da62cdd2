import { evaluateClauses } from './applicability';
import { parsePolicyPack } from './parse-policy-pack';
import { PolicyCatalogue } from './policy-catalogue';
import punjabV1 from './packs/punjab-v1.json';
import { ClauseEvaluation, ConductFacts } from './policy-pack';

// The built-in packs' clauses, rule by rule (docs/policy.md), through the public evaluate().
const catalogue = PolicyCatalogue.builtIn();
const march2025 = '2025-03-03T12:00:00Z';

function judge(province: string, clauseId: string, facts: Partial<ConductFacts>): ClauseEvaluation {
  const all: ConductFacts = { observedAt: march2025, onDuty: false, platform: 'tiktok', ...facts };
  const [evaluation] = catalogue.evaluate(province, all, [clauseId]).clauses;
  return evaluation!;
}

const codes = (evaluation: ClauseEvaluation) => evaluation.reasons.map((reason) => reason.code);

describe('KP-1: no social-media use at all', () => {
  it('applies to any use: off duty, no features, any platform, any kind', () => {
    expect(judge('khyber-pakhtunkhwa', 'KP-1', {})).toEqual({ clauseId: 'KP-1', applies: true, reasons: [] });
    expect(judge('khyber-pakhtunkhwa', 'KP-1', { platform: 'facebook', kinds: ['comment'], usedOfficialAccount: true }).applies).toBe(true);
    expect(judge('khyber-pakhtunkhwa', 'KP-1', { onDuty: true, approvalCovered: true }).applies).toBe(true);
  });
});

describe('PB-1: no social-media use on duty', () => {
  it('does not apply to an off-duty Punjab post', () => {
    expect(judge('punjab', 'PB-1', { onDuty: false, kinds: ['post'] })).toEqual({
      clauseId: 'PB-1',
      applies: false,
      reasons: [{ code: 'off-duty', message: 'PB-1 applies only on duty' }],
    });
  });

  it('applies to on-duty use on any platform', () => {
    expect(judge('punjab', 'PB-1', { onDuty: true, platform: 'instagram', kinds: ['video'] }).applies).toBe(true);
    expect(judge('punjab', 'PB-1', { onDuty: true, platform: 'some-new-app' }).applies).toBe(true);
  });
});

describe('SND-1: videos showing uniform, vehicles or equipment need pre-approval and an official account', () => {
  it('applies to a video showing one of its features, unapproved, from a personal account', () => {
    for (const feature of ['uniform', 'vehicle', 'equipment'] as const) {
      expect(judge('sindh', 'SND-1', { kinds: ['video'], features: [feature] }).applies).toBe(true);
    }
  });

  it('needs one of its features: none recorded, or only office premises, is not SND-1', () => {
    const none = judge('sindh', 'SND-1', { kinds: ['video'] });
    expect(none.applies).toBe(false);
    expect(none.reasons).toEqual([{ code: 'no-listed-feature', message: 'SND-1 applies only to conduct showing uniform, vehicle, equipment' }]);
    expect(codes(judge('sindh', 'SND-1', { kinds: ['video'], features: ['office-premises'] }))).toEqual(['no-listed-feature']);
  });

  it('covers videos only, not a photo in uniform', () => {
    expect(codes(judge('sindh', 'SND-1', { kinds: ['image'], features: ['uniform'] }))).toEqual(['kind-not-covered']);
  });

  it('lists every condition that fails', () => {
    expect(codes(judge('sindh', 'SND-1', { kinds: ['comment'] }))).toEqual(['no-listed-feature', 'kind-not-covered']);
  });

  it('is satisfied by an approved video published through an official account', () => {
    const covered = judge('sindh', 'SND-1', { kinds: ['video'], features: ['uniform'], approvalCovered: true, usedOfficialAccount: true });
    expect(covered.applies).toBe(false);
    expect(covered.reasons).toEqual([
      { code: 'exempt', message: 'SND-1 does not apply: covered by an approval and published through an official account' },
    ]);
  });

  it('still applies when only one of approval and official account is there', () => {
    expect(judge('sindh', 'SND-1', { kinds: ['video'], features: ['uniform'], approvalCovered: true }).applies).toBe(true);
    expect(judge('sindh', 'SND-1', { kinds: ['video'], features: ['uniform'], usedOfficialAccount: true }).applies).toBe(true);
  });
});

describe('SND-2: offices and vehicles need prior permission', () => {
  it('applies to any kind of post showing office premises or a vehicle, unless approved', () => {
    expect(judge('sindh', 'SND-2', { kinds: ['image'], features: ['office-premises'] }).applies).toBe(true);
    expect(judge('sindh', 'SND-2', { features: ['vehicle'] }).applies).toBe(true);
    expect(codes(judge('sindh', 'SND-2', { features: ['vehicle'], approvalCovered: true }))).toEqual(['exempt']);
    expect(codes(judge('sindh', 'SND-2', { features: ['uniform'] }))).toEqual(['no-listed-feature']);
  });
});

describe('SND-7: no platform use without permission', () => {
  it('applies to unpermitted use and not to permitted use', () => {
    expect(judge('sindh', 'SND-7', { platform: 'TikTok' }).applies).toBe(true);
    expect(codes(judge('sindh', 'SND-7', { platformPermitted: true }))).toEqual(['exempt']);
  });

  it('is absent from the older Sindh version, so conduct before 2025 cannot breach it', () => {
    const evaluation = catalogue.evaluate('sindh', { observedAt: '2024-11-30T12:00:00Z', onDuty: true, platform: 'tiktok' }, ['SND-7', 'SND-3']);
    expect(evaluation.version).toBe(1);
    expect(evaluation.clauses).toEqual([
      {
        clauseId: 'SND-7',
        applies: false,
        reasons: [{ code: 'clause-not-in-pack', message: 'SND-7 is not in policy pack sindh v1, in force at 2024-11-30T12:00:00.000Z' }],
      },
      { clauseId: 'SND-3', applies: true, reasons: [] },
    ]);
  });
});

describe('clauses of another province', () => {
  it('are not in the pack in force', () => {
    expect(codes(judge('punjab', 'SND-1', { kinds: ['video'], features: ['uniform'] }))).toEqual(['clause-not-in-pack']);
    expect(codes(judge('sindh', 'KP-1', {}))).toEqual(['clause-not-in-pack']);
  });
});

describe('the platforms condition', () => {
  const tiktokOnly = parsePolicyPack({
    ...punjabV1,
    clauses: [{ ...punjabV1.clauses[0], id: 'PB-9', appliesWhen: { requiresOnDuty: true, platforms: ['tiktok'] } }],
  });
  const onDuty = (platform: string): ConductFacts => ({ observedAt: march2025, onDuty: true, platform });

  it('matches the platform id case-insensitively and refuses other platforms', () => {
    expect(evaluateClauses(tiktokOnly, onDuty('TikTok'), ['PB-9']).clauses[0]!.applies).toBe(true);
    expect(evaluateClauses(tiktokOnly, onDuty('facebook'), ['PB-9']).clauses[0]!.reasons).toEqual([
      { code: 'platform-not-covered', message: 'PB-9 applies only on tiktok' },
    ]);
  });
});

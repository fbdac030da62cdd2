import { DomainError } from '@conduct/decider';
import { parsePolicyPack } from './parse-policy-pack';
import { InvalidPolicyPackError } from './policy-errors';
import sindhV2 from './packs/sindh-v2.json';
import punjabV1 from './packs/punjab-v1.json';

/** A copy of the Sindh pack with the value at `path` (e.g. `clauses[3].id`) replaced, or deleted. */
function sindhWith(path: string, value: unknown): unknown {
  const pack: unknown = structuredClone(sindhV2);
  const keys = path.split(/[.[\]]+/).filter((key) => key !== '');
  const last = keys.pop()!;
  const parent = keys.reduce((node, key) => (node as Record<string, unknown>)[key], pack) as Record<string, unknown>;
  if (value === undefined) delete parent[last];
  else parent[last] = value;
  return pack;
}

function errorFor(pack: unknown): InvalidPolicyPackError {
  try {
    parsePolicyPack(pack);
  } catch (error) {
    if (error instanceof InvalidPolicyPackError) return error;
    throw error;
  }
  throw new Error('expected InvalidPolicyPackError, but the pack parsed');
}

describe('parsePolicyPack', () => {
  it('reads a valid pack into the same data', () => {
    const pack = parsePolicyPack(punjabV1);
    expect(pack).toEqual(punjabV1);
    expect(pack.clauses[0]!.appliesWhen).toEqual({ requiresOnDuty: true });
  });

  it('returns a frozen copy, so the input cannot change a pack in force', () => {
    const input = structuredClone(sindhV2);
    const pack = parsePolicyPack(input);
    input.clauses[0]!.appliesWhen.features!.push('office-premises');
    expect(pack.clauses[0]!.appliesWhen.features).toEqual(['uniform', 'vehicle', 'equipment']);
    expect(Object.isFrozen(pack.clauses[0]!.appliesWhen.features)).toBe(true);
    expect(Object.isFrozen(pack.sanctions)).toBe(true);
  });

  it('is a DomainError of kind invalid whose field is the path', () => {
    const error = errorFor(sindhWith('takedownPeriodDays', undefined));
    expect(error).toBeInstanceOf(DomainError);
    expect(error.kind).toBe('invalid');
    expect(error.code).toBe('policy.invalid-pack');
    expect(error.path).toBe('takedownPeriodDays');
    expect(error.field).toBe('takedownPeriodDays');
    expect(error.message).toBe('invalid policy pack at takedownPeriodDays: is required');
  });

  it.each([
    ['a value that is not an object', 'clauses', 'SND-1', 'clauses'],
    ['a mistyped rule condition', 'clauses[3].appliesWhen', { requiresOnduty: true }, 'clauses[3].appliesWhen.requiresOnduty'],
    ['an unknown feature', 'clauses[0].appliesWhen.features[1]', 'horse', 'clauses[0].appliesWhen.features[1]'],
    ['an unknown content kind', 'clauses[0].appliesWhen.kinds', ['video', 'reel'], 'clauses[0].appliesWhen.kinds[1]'],
    ['an unknown exempting fact', 'clauses[6].appliesWhen.exemptWhen', ['asked-nicely'], 'clauses[6].appliesWhen.exemptWhen[0]'],
    ['an empty rule', 'clauses[2].appliesWhen', {}, 'clauses[2].appliesWhen'],
    ['a rule with only an exemption', 'clauses[2].appliesWhen', { exemptWhen: ['approvalCovered'] }, 'clauses[2].appliesWhen'],
    ['anyUse with a narrowing condition', 'clauses[2].appliesWhen', { anyUse: true, requiresOnDuty: true }, 'clauses[2].appliesWhen.anyUse'],
    ['anyUse set to false', 'clauses[2].appliesWhen', { anyUse: false }, 'clauses[2].appliesWhen.anyUse'],
    ['an empty feature list', 'clauses[1].appliesWhen.features', [], 'clauses[1].appliesWhen.features'],
    ['a duplicate clause id', 'clauses[1].id', 'SND-1', 'clauses[1]'],
    ['a clause id of the wrong shape', 'clauses[1].id', 'snd 2', 'clauses[1].id'],
    ['an unknown category', 'clauses[4].category', 'misc', 'clauses[4].category'],
    ['an empty clause text', 'clauses[4].text', '  ', 'clauses[4].text'],
    ['a missing clause title', 'clauses[5].title', undefined, 'clauses[5].title'],
    ['no clauses', 'clauses', [], 'clauses'],
    ['a day that is not on the calendar', 'effectiveFrom', '2025-02-30', 'effectiveFrom'],
    ['a timestamp without a zone', 'effectiveFrom', '2025-01-01T00:00:00', 'effectiveFrom'],
    ['a fractional version', 'version', 1.5, 'version'],
    ['a version given as a string', 'version', '2', 'version'],
    ['a zero takedown period', 'takedownPeriodDays', 0, 'takedownPeriodDays'],
    ['a province id that is not kebab case', 'provinces', ['Sindh'], 'provinces[0]'],
    ['a sanction that is both minor and major', 'sanctions.major[4]', 'fine', 'sanctions.major[4]'],
    ['a due process without a reply period', 'dueProcess.showCauseReplyDays', undefined, 'dueProcess.showCauseReplyDays'],
    ['due process owed for a severity packs do not have', 'dueProcess.requiredFor', ['grave'], 'dueProcess.requiredFor[0]'],
    ['a pack without due process', 'dueProcess', undefined, 'dueProcess'],
    ['a missing early-intervention window', 'earlyIntervention.withinDays', undefined, 'earlyIntervention.withinDays'],
    ['a repeated escalation level', 'escalationChain', ['SSP', 'DIG', 'SSP'], 'escalationChain[2]'],
    ['a choice about a field packs do not have', 'choices.colour', 'blue', 'choices.colour'],
    ['an unknown top-level field', 'effectiveUntil', '2030-01-01', 'effectiveUntil'],
  ])('names the path at fault for %s', (_case, path, value, faultPath) => {
    expect(errorFor(sindhWith(path, value)).path).toBe(faultPath);
  });

  it('names the root when the pack is not an object at all', () => {
    expect(() => parsePolicyPack(null)).toThrow('invalid policy pack at (root): must be an object');
    expect(() => parsePolicyPack([sindhV2])).toThrow(InvalidPolicyPackError);
  });

  it('accepts an effectiveFrom with an explicit Pakistan offset', () => {
    expect(parsePolicyPack({ ...punjabV1, effectiveFrom: '2025-01-01T00:00:00+05:00' }).effectiveFrom).toBe('2025-01-01T00:00:00+05:00');
  });

  it('leaves choices out when the pack has none', () => {
    const { choices: _choices, ...withoutChoices } = punjabV1;
    expect(parsePolicyPack(withoutChoices)).not.toHaveProperty('choices');
  });
});

import { isIsoDateOrInstant } from './instant';
import { InvalidPolicyPackError } from './policy-errors';
import {
  ApplicabilityRule,
  CLAUSE_CATEGORIES,
  CONTENT_KINDS,
  EXEMPTING_FACTS,
  FEATURES,
  PolicyClause,
  PolicyPackVersion,
  SANCTION_SEVERITIES,
} from './policy-pack';

/*
 * Pack data comes from JSON an admin wrote, so it is checked field by field and unknown fields are
 * refused: a typo such as `requiresOnduty` would otherwise be dropped and silently widen a clause.
 * The result is a fresh, frozen copy, so nobody can change a pack in force behind the catalogue.
 */

const KEBAB_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const CLAUSE_ID = /^[A-Z]+-\d+$/;
const LEVEL_ID = /^[A-Za-z][A-Za-z0-9-]*$/;

const PACK_FIELDS = [
  'packId',
  'version',
  'effectiveFrom',
  'title',
  'description',
  'provinces',
  'clauses',
  'takedownPeriodDays',
  'appealWindowDays',
  'sanctions',
  'dueProcess',
  'earlyIntervention',
  'escalationChain',
  'choices',
] as const;
const CLAUSE_FIELDS = ['id', 'title', 'text', 'category', 'appliesWhen'] as const;
const RULE_FIELDS = ['anyUse', 'requiresOnDuty', 'features', 'kinds', 'platforms', 'exemptWhen'] as const;
const NARROWING_CONDITIONS = ['requiresOnDuty', 'features', 'kinds', 'platforms'] as const;

/** Checks untrusted data against the pack format; throws InvalidPolicyPackError naming the path. */
export function parsePolicyPack(json: unknown): PolicyPackVersion {
  const pack = record(json, '', PACK_FIELDS, ['choices']);
  const parsed: PolicyPackVersion = {
    packId: kebabId(pack.packId, 'packId'),
    version: positiveInteger(pack.version, 'version'),
    effectiveFrom: isoDate(pack.effectiveFrom, 'effectiveFrom'),
    title: text(pack.title, 'title'),
    description: text(pack.description, 'description'),
    provinces: list(pack.provinces, 'provinces', kebabId),
    clauses: list(pack.clauses, 'clauses', clause, (c) => c.id),
    takedownPeriodDays: positiveInteger(pack.takedownPeriodDays, 'takedownPeriodDays'),
    appealWindowDays: positiveInteger(pack.appealWindowDays, 'appealWindowDays'),
    sanctions: sanctions(pack.sanctions, 'sanctions'),
    dueProcess: dueProcess(pack.dueProcess, 'dueProcess'),
    earlyIntervention: earlyIntervention(pack.earlyIntervention, 'earlyIntervention'),
    escalationChain: list(pack.escalationChain, 'escalationChain', (value, path) => matching(value, path, LEVEL_ID, 'a rank id such as SSP')),
    ...(pack.choices === undefined ? {} : { choices: choices(pack.choices, 'choices') }),
  };
  return deepFreeze(parsed);
}

function clause(value: unknown, path: string): PolicyClause {
  const fields = record(value, path, CLAUSE_FIELDS);
  return {
    id: matching(fields.id, `${path}.id`, CLAUSE_ID, 'an id such as SND-1'),
    title: text(fields.title, `${path}.title`),
    text: text(fields.text, `${path}.text`),
    category: oneOf(fields.category, `${path}.category`, CLAUSE_CATEGORIES),
    appliesWhen: rule(fields.appliesWhen, `${path}.appliesWhen`),
  };
}

function rule(value: unknown, path: string): ApplicabilityRule {
  const fields = record(value, path, RULE_FIELDS, RULE_FIELDS);
  const narrowing = NARROWING_CONDITIONS.filter((condition) => fields[condition] !== undefined);
  if (fields.anyUse !== undefined && narrowing.length > 0) {
    fail(`${path}.anyUse`, `cannot be combined with ${narrowing.join(', ')}`);
  }
  if (fields.anyUse === undefined && narrowing.length === 0) {
    fail(path, `needs a condition (${NARROWING_CONDITIONS.join(', ')}) or "anyUse": true`);
  }
  const parsed: { -readonly [K in keyof ApplicabilityRule]: ApplicabilityRule[K] } = {};
  if (fields.anyUse !== undefined) parsed.anyUse = literalTrue(fields.anyUse, `${path}.anyUse`);
  if (fields.requiresOnDuty !== undefined) parsed.requiresOnDuty = literalTrue(fields.requiresOnDuty, `${path}.requiresOnDuty`);
  if (fields.features !== undefined) parsed.features = list(fields.features, `${path}.features`, (v, p) => oneOf(v, p, FEATURES));
  if (fields.kinds !== undefined) parsed.kinds = list(fields.kinds, `${path}.kinds`, (v, p) => oneOf(v, p, CONTENT_KINDS));
  if (fields.platforms !== undefined) parsed.platforms = list(fields.platforms, `${path}.platforms`, kebabId);
  if (fields.exemptWhen !== undefined) {
    parsed.exemptWhen = list(fields.exemptWhen, `${path}.exemptWhen`, (v, p) => oneOf(v, p, EXEMPTING_FACTS));
  }
  return parsed;
}

function sanctions(value: unknown, path: string): PolicyPackVersion['sanctions'] {
  const fields = record(value, path, ['minor', 'major']);
  const minor = list(fields.minor, `${path}.minor`, kebabId);
  const major = list(fields.major, `${path}.major`, kebabId);
  // A sanction in both lists would make its severity depend on lookup order.
  major.forEach((sanction, index) => {
    if (minor.includes(sanction)) fail(`${path}.major[${index}]`, `"${sanction}" is also listed as minor`);
  });
  return { minor, major };
}

function dueProcess(value: unknown, path: string): PolicyPackVersion['dueProcess'] {
  const fields = record(value, path, ['rule', 'showCauseReplyDays', 'requiredFor']);
  return {
    rule: text(fields.rule, `${path}.rule`),
    showCauseReplyDays: positiveInteger(fields.showCauseReplyDays, `${path}.showCauseReplyDays`),
    requiredFor: list(fields.requiredFor, `${path}.requiredFor`, (v, p) => oneOf(v, p, SANCTION_SEVERITIES)),
  };
}

function earlyIntervention(value: unknown, path: string): PolicyPackVersion['earlyIntervention'] {
  const fields = record(value, path, ['substantiatedFindings', 'withinDays']);
  return {
    substantiatedFindings: positiveInteger(fields.substantiatedFindings, `${path}.substantiatedFindings`),
    withinDays: positiveInteger(fields.withinDays, `${path}.withinDays`),
  };
}

function choices(value: unknown, path: string): Record<string, string> {
  const fields = record(value, path, PACK_FIELDS, PACK_FIELDS);
  return Object.fromEntries(Object.entries(fields).map(([field, why]) => [field, text(why, `${path}.${field}`)]));
}

// --- primitives: each checks one value and names its path on failure ---

function fail(path: string, problem: string): never {
  throw new InvalidPolicyPackError(path, problem);
}

function record<K extends string>(value: unknown, path: string, allowed: readonly K[], optional: readonly K[] = []): Record<K, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(path, 'must be an object');
  const fields = value as Record<string, unknown>;
  for (const key of Object.keys(fields)) {
    if (!(allowed as readonly string[]).includes(key)) fail(join(path, key), `unknown field (allowed: ${allowed.join(', ')})`);
  }
  for (const key of allowed) {
    if (fields[key] === undefined && !optional.includes(key)) fail(join(path, key), 'is required');
  }
  return fields;
}

/** A non-empty array of unique items (uniqueness by `keyOf`, default the item itself). */
function list<T>(value: unknown, path: string, item: (value: unknown, path: string) => T, keyOf: (item: T) => unknown = (i) => i): T[] {
  if (!Array.isArray(value)) fail(path, 'must be an array');
  if (value.length === 0) fail(path, 'must not be empty');
  const items: T[] = [];
  const seen = new Set<unknown>();
  (value as unknown[]).forEach((entry, index) => {
    const parsed = item(entry, `${path}[${index}]`);
    const key = keyOf(parsed);
    if (seen.has(key)) fail(`${path}[${index}]`, `duplicate ${JSON.stringify(key)}`);
    seen.add(key);
    items.push(parsed);
  });
  return items;
}

function text(value: unknown, path: string): string {
  if (typeof value !== 'string' || value.trim() === '') fail(path, 'must be a non-empty string');
  return value;
}

function matching(value: unknown, path: string, pattern: RegExp, expected: string): string {
  if (typeof value !== 'string' || !pattern.test(value)) fail(path, `must be ${expected}, got ${JSON.stringify(value)}`);
  return value;
}

function kebabId(value: unknown, path: string): string {
  return matching(value, path, KEBAB_ID, 'a lower-case kebab id');
}

function isoDate(value: unknown, path: string): string {
  if (typeof value !== 'string' || !isIsoDateOrInstant(value)) {
    fail(path, `must be YYYY-MM-DD or an ISO timestamp with a zone, got ${JSON.stringify(value)}`);
  }
  return value;
}

function positiveInteger(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) fail(path, `must be a positive integer, got ${JSON.stringify(value)}`);
  return value;
}

function literalTrue(value: unknown, path: string): true {
  if (value !== true) fail(path, 'must be true (leave it out otherwise)');
  return true;
}

function oneOf<T extends string>(value: unknown, path: string, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    fail(path, `must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`);
  }
  return value as T;
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

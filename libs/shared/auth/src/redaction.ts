import { Principal } from './principal';
import { Role } from './role';

/**
 * Kinds of field a reader may be denied:
 * - `names`: a person's name (the officer concerned, a notice's recipient, a mail subject naming them);
 * - `contact`: where a person is reached (e-mail addresses);
 * - `internal`: how internal affairs works a case (notes, where evidence is archived, who investigates).
 */
export type FieldClass = 'names' | 'contact' | 'internal';

/**
 * Who reads: a role, or the officer a case is about reading it (whatever roles their token also
 * carries, they get the reduced view of their own case).
 */
export type Viewer = Role | 'OFFICER_CONCERNED';

/**
 * The one redaction policy: the field classes each viewer does not see, on every read path
 * (violation-service case reads, the notification audit log, reporting-service lists and timelines,
 * webhook payloads). Headquarters analysts and integrations work with service numbers, ranks and
 * units, never with whom those are; an ADMIN may grant one webhook subscription personal data.
 */
export const REDACTION_POLICY: Readonly<Record<Viewer, readonly FieldClass[]>> = {
  ADMIN: [],
  IA_INVESTIGATOR: [],
  DISCIPLINARY_AUTHORITY: [],
  APPROVER: [],
  MEDIA_TEAM: ['names', 'contact'],
  OFFICER: ['names', 'contact', 'internal'],
  HQ_ANALYST: ['names', 'contact'],
  INTEGRATION: ['names', 'contact'],
  OFFICER_CONCERNED: ['internal'],
};

/**
 * Where each class lies. A rule matches a key; `parent` narrows it to the key of the object holding
 * it, `sibling` to objects that also hold that key, `eventType` to the data of that event type,
 * `holderRole` to objects whose `role` is that (an event's actor).
 */
interface FieldRule {
  class: FieldClass;
  key: string;
  parent?: string;
  sibling?: string;
  eventType?: string;
  holderRole?: string;
}

/** Keys that hold an investigator's id: who reported, gathered, served, verified and found. */
const INVESTIGATOR_KEYS = ['investigatorId', 'reportedBy', 'capturedBy', 'assignedBy', 'addedBy', 'issuedBy', 'verifiedBy', 'recordedBy'];

const FIELD_RULES: readonly FieldRule[] = [
  { class: 'names', key: 'name', parent: 'officer' },
  { class: 'names', key: 'name', parent: 'recipient' },
  { class: 'names', key: 'officerName' },
  // A notice's mail subject names the officer ("Takedown deadline missed: Imran Ali (KHI-40172)").
  { class: 'names', key: 'subject', sibling: 'recipient' },
  { class: 'contact', key: 'address', parent: 'recipient' },
  { class: 'contact', key: 'email' },
  { class: 'internal', key: 'archiveLocation' },
  { class: 'internal', key: 'text', eventType: 'NoteAdded' },
  ...INVESTIGATOR_KEYS.map((key): FieldRule => ({ class: 'internal', key })),
  { class: 'internal', key: 'replaces', eventType: 'InvestigatorAssigned' },
  { class: 'internal', key: 'id', parent: 'actor', holderRole: 'IA_INVESTIGATOR' },
];

/** A value as one reader may see it, and the fields left out (paths, `[]` for any array item). */
export interface Redacted<T> {
  value: T;
  redacted: string[];
}

/** The viewer(s) a principal reads as: the officer concerned on their own case, else their roles. */
export function viewersOf(principal: Pick<Principal, 'roles'>, options: { ownCase?: boolean } = {}): Viewer[] {
  return options.ownCase ? ['OFFICER_CONCERNED'] : [...principal.roles];
}

/** The classes hidden from someone reading as all of these viewers: hidden only if hidden from each. */
export function hiddenClasses(viewers: readonly Viewer[]): Set<FieldClass> {
  if (viewers.length === 0) return new Set<FieldClass>(['names', 'contact', 'internal']);
  const [first, ...others] = viewers.map((viewer) => REDACTION_POLICY[viewer]);
  return new Set(first!.filter((fieldClass) => others.every((hidden) => hidden.includes(fieldClass))));
}

/**
 * A copy of `value` with every field of a hidden class set to null, and the list of what was
 * nulled. Values are not dropped, so the shape stays the one documented; `redacted` says which
 * nulls are redactions rather than absent data. Returns `value` itself when nothing is hidden.
 */
export function redact<T>(value: T, hidden: ReadonlySet<FieldClass>): Redacted<T> {
  if (hidden.size === 0) return { value, redacted: [] };
  const rules = FIELD_RULES.filter((rule) => hidden.has(rule.class));
  const redacted = new Set<string>();
  const walk = (node: unknown, path: string, parentKey: string | undefined, eventType: string | undefined): unknown => {
    if (Array.isArray(node)) return node.map((item: unknown) => walk(item, `${path}[]`, parentKey, eventType));
    if (typeof node !== 'object' || node === null) return node;
    const holder = node as Record<string, unknown>;
    const ownType = typeof holder['type'] === 'string' ? holder['type'] : eventType;
    const copy: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(holder)) {
      const fieldPath = path ? `${path}.${key}` : key;
      const rule = rules.find(
        (candidate) =>
          candidate.key === key &&
          (candidate.parent === undefined || candidate.parent === parentKey) &&
          (candidate.sibling === undefined || candidate.sibling in holder) &&
          (candidate.eventType === undefined || candidate.eventType === ownType) &&
          (candidate.holderRole === undefined || candidate.holderRole === holder['role']),
      );
      if (rule && field !== null && field !== undefined) {
        copy[key] = null;
        redacted.add(fieldPath);
      } else {
        copy[key] = walk(field, fieldPath, key, ownType);
      }
    }
    return copy;
  };
  const copy = walk(value, '', undefined, undefined) as T;
  return { value: copy, redacted: [...redacted].sort() };
}

/** `redact` for a principal: the classes their viewers may not see. */
export function redactFor<T>(value: T, principal: Pick<Principal, 'roles'>, options: { ownCase?: boolean } = {}): Redacted<T> {
  return redact(value, hiddenClasses(viewersOf(principal, options)));
}

import { CONTENT_KINDS, FEATURES } from '@conduct/policy';

/*
 * A force's legacy paper cases, one CSV row each (docs/import.md lists the columns): parsed and
 * checked field by field here, before anything is decided. A row at fault is rejected with the
 * column and the reason; the others go on.
 */

/** One legacy case as the CSV states it: its facts and how far it had gone. */
export interface LegacyCase {
  /** 1-based, the header being row 1: as a spreadsheet numbers it. */
  row: number;
  legacyCaseNumber: string;
  officer: { serviceNumber: string; name: string; rank: string; unitId: string };
  jurisdiction: { province: string; range?: string; district?: string; unitId?: string };
  platform: string;
  contentUrl: string;
  conduct: { kinds: string[]; features: string[]; usedOfficialAccount: boolean; platformPermitted: boolean };
  onDuty: boolean;
  clauses: string[];
  description: string;
  observedAt: string;
  becameKnownAt: string;
  reportedAt: string;
  evidence: { sha256: string; capturedAt: string; archiveLocation: string };
  takedown?: { servedAt: string; removedAt?: string };
  finding?: { outcome: 'substantiated' | 'not-substantiated'; clauses: string[]; recordedAt: string; reasons: string[] };
  showCause?: {
    servedAt: string;
    grounds: string[];
    proposedSanction: string;
    reply?: { receivedAt: string; text: string };
    hearing?: { heldAt: string; officerPresent: boolean; record: string };
  };
  sanction?: { sanction: string; imposedAt: string; reasons: string[] };
  closure?: { closedAt: string; reasons: string[] };
}

export interface RejectedRow {
  row: number;
  legacyCaseNumber?: string;
  reason: string;
}

/** The columns, in the order of the example file; `*` marks the required ones. */
export const LEGACY_CASE_COLUMNS = [
  'legacyCaseNumber*',
  'officerServiceNumber*',
  'officerName*',
  'officerRank*',
  'officerUnitId*',
  'province*',
  'range',
  'district',
  'unitId',
  'platform*',
  'contentUrl*',
  'contentKinds',
  'features',
  'usedOfficialAccount',
  'platformPermitted',
  'onDuty*',
  'clauses*',
  'description*',
  'observedAt*',
  'becameKnownAt*',
  'reportedAt*',
  'evidenceSha256*',
  'evidenceCapturedAt',
  'evidenceArchiveLocation*',
  'takedownServedAt',
  'takedownRemovedAt',
  'findingOutcome',
  'findingClauses',
  'findingRecordedAt',
  'findingReason',
  'showCauseServedAt',
  'showCauseGrounds',
  'proposedSanction',
  'showCauseReplyReceivedAt',
  'showCauseReply',
  'hearingHeldAt',
  'hearingOfficerPresent',
  'hearingRecord',
  'sanction',
  'sanctionImposedAt',
  'sanctionReason',
  'closedAt',
  'closureReason',
] as const;

type Column = (typeof LEGACY_CASE_COLUMNS)[number] extends infer C ? (C extends `${infer Name}*` ? Name : C) : never;
const REQUIRED = new Set(LEGACY_CASE_COLUMNS.filter((column) => column.endsWith('*')).map((column) => column.slice(0, -1)));
const KNOWN = new Set(LEGACY_CASE_COLUMNS.map((column) => column.replace(/\*$/, '')));

/** A file the importer cannot read at all (not a row of it): named so, with what to fix. */
export class LegacyFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LegacyFileError';
  }
}

/**
 * RFC 4180 CSV: fields separated by commas, quoted with double quotes where they hold a comma, a
 * quote (doubled) or a line break; lines end in CRLF or LF. Answers the rows with their fields.
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; // a byte-order mark, as spreadsheets write
  for (; i < text.length; i++) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"' && field === '') quoted = true;
    else if (char === ',') {
      row.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += char;
  }
  if (quoted) throw new LegacyFileError('the file ends inside a quoted field: a closing " is missing');
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  // Blank lines (a trailing newline, a spreadsheet's empty rows) are no cases.
  return rows.filter((fields) => fields.some((value) => value.trim() !== ''));
}

class RowFault extends Error {}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})$/;
const SHA256 = /^[0-9a-f]{64}$/;

/** The fields of one row by column name, read through typed accessors that name the column at fault. */
class RowReader {
  constructor(private readonly fields: Map<string, string>) {}

  text(column: Column): string | undefined {
    const value = this.fields.get(column)?.trim();
    return value === undefined || value === '' ? undefined : value;
  }

  required(column: Column): string {
    const value = this.text(column);
    if (value === undefined) throw new RowFault(`${column}: required`);
    return value;
  }

  instant(column: Column): string | undefined {
    const value = this.text(column);
    if (value === undefined) return undefined;
    if (!ISO_INSTANT.test(value) || Number.isNaN(Date.parse(value))) {
      throw new RowFault(`${column}: "${value}" is not a date-time with its zone, such as 2024-03-01T10:00:00+05:00`);
    }
    return new Date(value).toISOString();
  }

  requiredInstant(column: Column): string {
    const value = this.instant(column);
    if (value === undefined) throw new RowFault(`${column}: required`);
    return value;
  }

  flag(column: Column, otherwise?: boolean): boolean {
    const value = this.text(column)?.toLowerCase();
    if (value === undefined) {
      if (otherwise === undefined) throw new RowFault(`${column}: required (true or false)`);
      return otherwise;
    }
    if (value !== 'true' && value !== 'false') throw new RowFault(`${column}: "${value}" is neither true nor false`);
    return value === 'true';
  }

  /** Ids separated by semicolons, e.g. `SND-1;SND-5`. */
  list(column: Column, allowed?: readonly string[]): string[] {
    const values = (this.text(column) ?? '')
      .split(';')
      .map((value) => value.trim())
      .filter((value) => value !== '');
    const unknown = allowed && values.find((value) => !allowed.includes(value));
    if (unknown) throw new RowFault(`${column}: "${unknown}" is not one of ${allowed.join(', ')}`);
    return values;
  }

  /** Columns that come together: all or none. */
  together(columns: Column[]): boolean {
    const given = columns.filter((column) => this.text(column) !== undefined);
    if (given.length > 0 && given.length < columns.length) {
      throw new RowFault(`${columns.filter((column) => !given.includes(column)).join(', ')}: required with ${given.join(', ')}`);
    }
    return given.length > 0;
  }
}

function legacyCase(row: number, read: RowReader): LegacyCase {
  const legacyCaseNumber = read.required('legacyCaseNumber');
  const sha256 = read.required('evidenceSha256').toLowerCase();
  if (!SHA256.test(sha256)) throw new RowFault('evidenceSha256: must be 64 hexadecimal characters');
  const becameKnownAt = read.requiredInstant('becameKnownAt');
  const place = { range: read.text('range'), district: read.text('district'), unitId: read.text('unitId') };
  const legacy: LegacyCase = {
    row,
    legacyCaseNumber,
    officer: {
      serviceNumber: read.required('officerServiceNumber'),
      name: read.required('officerName'),
      rank: read.required('officerRank'),
      unitId: read.required('officerUnitId'),
    },
    jurisdiction: {
      province: read.required('province'),
      ...Object.fromEntries(Object.entries(place).filter(([, value]) => value !== undefined)),
    },
    platform: read.required('platform').toLowerCase(),
    contentUrl: read.required('contentUrl'),
    conduct: {
      kinds: read.list('contentKinds', CONTENT_KINDS),
      features: read.list('features', FEATURES),
      usedOfficialAccount: read.flag('usedOfficialAccount', false),
      platformPermitted: read.flag('platformPermitted', false),
    },
    onDuty: read.flag('onDuty'),
    clauses: read.list('clauses'),
    description: read.required('description'),
    observedAt: read.requiredInstant('observedAt'),
    becameKnownAt,
    reportedAt: read.requiredInstant('reportedAt'),
    evidence: {
      sha256,
      capturedAt: read.instant('evidenceCapturedAt') ?? becameKnownAt,
      archiveLocation: read.required('evidenceArchiveLocation'),
    },
  };
  if (legacy.clauses.length === 0) throw new RowFault('clauses: required (clause ids separated by semicolons, e.g. SND-1;SND-5)');
  if (read.text('takedownServedAt') !== undefined || read.text('takedownRemovedAt') !== undefined) {
    const removedAt = read.instant('takedownRemovedAt');
    legacy.takedown = { servedAt: read.requiredInstant('takedownServedAt'), ...(removedAt ? { removedAt } : {}) };
  }
  if (read.together(['findingOutcome', 'findingRecordedAt', 'findingReason'])) {
    const outcome = read.required('findingOutcome');
    if (outcome !== 'substantiated' && outcome !== 'not-substantiated') {
      throw new RowFault(`findingOutcome: "${outcome}" is neither substantiated nor not-substantiated`);
    }
    const clauses = read.list('findingClauses');
    legacy.finding = {
      outcome,
      clauses: outcome === 'substantiated' && clauses.length === 0 ? legacy.clauses : clauses,
      recordedAt: read.requiredInstant('findingRecordedAt'),
      reasons: [read.required('findingReason')],
    };
  }
  if (read.together(['showCauseServedAt', 'showCauseGrounds'])) {
    const proposedSanction = read.text('proposedSanction') ?? read.text('sanction');
    if (!proposedSanction) throw new RowFault('proposedSanction: required with showCauseServedAt (unless the row names the sanction)');
    legacy.showCause = {
      servedAt: read.requiredInstant('showCauseServedAt'),
      grounds: [read.required('showCauseGrounds')],
      proposedSanction,
      ...(read.together(['showCauseReplyReceivedAt', 'showCauseReply'])
        ? { reply: { receivedAt: read.requiredInstant('showCauseReplyReceivedAt'), text: read.required('showCauseReply') } }
        : {}),
      ...(read.together(['hearingHeldAt', 'hearingRecord'])
        ? {
            hearing: {
              heldAt: read.requiredInstant('hearingHeldAt'),
              officerPresent: read.flag('hearingOfficerPresent', true),
              record: read.required('hearingRecord'),
            },
          }
        : {}),
    };
  }
  if (read.together(['sanction', 'sanctionImposedAt', 'sanctionReason'])) {
    legacy.sanction = {
      sanction: read.required('sanction'),
      imposedAt: read.requiredInstant('sanctionImposedAt'),
      reasons: [read.required('sanctionReason')],
    };
  }
  if (read.together(['closedAt', 'closureReason'])) {
    legacy.closure = { closedAt: read.requiredInstant('closedAt'), reasons: [read.required('closureReason')] };
  }
  return legacy;
}

/**
 * The legacy cases of a CSV file and the rows rejected, each with its reason. The header names the
 * columns (any order); a header without a required column, or with one this format does not know,
 * makes the whole file unreadable (LegacyFileError): a misspelt column would otherwise be dropped.
 */
export function readLegacyCases(text: string): { cases: LegacyCase[]; rejected: RejectedRow[] } {
  const [header, ...rows] = parseCsv(text);
  if (!header) throw new LegacyFileError('the file is empty: the first line must name the columns');
  const names = header.map((name) => name.trim());
  const unknown = names.filter((name) => !KNOWN.has(name));
  if (unknown.length > 0)
    throw new LegacyFileError(`unknown column ${unknown.map((name) => `"${name}"`).join(', ')} (docs/import.md lists the columns)`);
  const missing = [...REQUIRED].filter((name) => !names.includes(name));
  if (missing.length > 0) throw new LegacyFileError(`the header lacks the required column ${missing.join(', ')}`);
  const repeated = names.find((name, index) => names.indexOf(name) !== index);
  if (repeated) throw new LegacyFileError(`the column "${repeated}" appears twice`);

  const cases: LegacyCase[] = [];
  const rejected: RejectedRow[] = [];
  const seen = new Map<string, number>();
  rows.forEach((fields, index) => {
    const row = index + 2;
    const byName = new Map(names.map((name, column) => [name, fields[column] ?? '']));
    const legacyCaseNumber = byName.get('legacyCaseNumber')?.trim() || undefined;
    try {
      if (fields.length > names.length) throw new RowFault(`${fields.length} fields, the header names ${names.length}`);
      const parsed = legacyCase(row, new RowReader(byName));
      const earlier = seen.get(parsed.legacyCaseNumber);
      if (earlier !== undefined) throw new RowFault(`legacyCaseNumber: the same as row ${earlier}`);
      seen.set(parsed.legacyCaseNumber, row);
      cases.push(parsed);
    } catch (error) {
      if (!(error instanceof RowFault)) throw error;
      rejected.push({ row, ...(legacyCaseNumber ? { legacyCaseNumber } : {}), reason: error.message });
    }
  });
  return { cases, rejected };
}

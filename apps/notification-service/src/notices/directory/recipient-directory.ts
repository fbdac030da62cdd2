import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError } from '@conduct/decider';
import { ERASED } from '@conduct/personal-data';
import { Filters, Page } from '@conduct/queries';
import { Audience } from '../intake/notice-rules';
import { Recipient, RecipientDto, RecipientEdit, RecipientsQueryDto } from './recipient.dto';

interface RecipientRow {
  id: string;
  unit_id: string;
  role: string;
  name: string;
  email: string;
  language: string;
  service_number: string | null;
  created_at: Date;
  created_by: string | null;
  updated_at: Date;
  updated_by: string | null;
}

interface RecipientEditRow {
  recipient_id: string;
  action: RecipientEdit['action'];
  edited_by: string;
  edited_at: Date;
  before: Recipient | null;
  after: Recipient | null;
}

const toRecipient = (row: RecipientRow): Recipient => ({
  id: row.id,
  unitId: row.unit_id,
  role: row.role,
  name: row.name,
  email: row.email,
  language: row.language,
  serviceNumber: row.service_number,
  createdAt: row.created_at.toISOString(),
  createdBy: row.created_by,
  updatedAt: row.updated_at.toISOString(),
  updatedBy: row.updated_by,
});

const notFound = (id: string): DomainError => new DomainError('not-found', 'recipient.not-found', `No directory entry ${id}`);

/** A second entry for the same officer, or for the same role of a unit, would make resolution a guess. */
function duplicate(entry: RecipientDto): DomainError {
  const what = entry.serviceNumber ? `officer ${entry.serviceNumber}` : `${entry.role} of unit ${entry.unitId}`;
  return new DomainError(
    'conflict',
    'recipient.duplicate',
    `The directory already has an entry for ${what}`,
    undefined,
    entry.serviceNumber ? 'serviceNumber' : 'role',
  );
}

function checkOfficerOnly(entry: RecipientDto): void {
  if (entry.serviceNumber !== undefined && entry.role !== 'OFFICER') {
    throw new DomainError(
      'invalid',
      'recipient.service-number-needs-officer',
      'serviceNumber names one officer: only an OFFICER entry may have it',
      undefined,
      'serviceNumber',
    );
  }
}

const isUniqueViolation = (error: unknown): boolean => typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';

/** The stored entry with `changes` merged onto it (PUT sends every field, PATCH some). */
function merged(current: Recipient, changes: Partial<RecipientDto>): RecipientDto {
  const serviceNumber = changes.serviceNumber ?? current.serviceNumber;
  return {
    unitId: changes.unitId ?? current.unitId,
    role: changes.role ?? current.role,
    name: changes.name ?? current.name,
    email: changes.email ?? current.email,
    language: changes.language ?? current.language,
    ...(serviceNumber ? { serviceNumber } : {}),
  };
}

const sameEntry = (current: Recipient, entry: RecipientDto): boolean =>
  current.unitId === entry.unitId &&
  current.role === entry.role &&
  current.name === entry.name &&
  current.email === entry.email &&
  current.language === entry.language;

/** Who seeded an entry from RECIPIENTS_SEED_FILE, in the edit history. */
export const SEED_EDITOR = 'seed';

/**
 * The recipient directory: who reads which unit's notices, by role, plus officers' own addresses.
 * Plain reference data in a table, edited by ADMINs; the notices it resolved keep the address they
 * went to (NotificationQueued), so editing an entry never rewrites history. Each edit records, in
 * its own transaction, who made it and the entry before and after (recipient_edits).
 */
@Injectable()
export class RecipientDirectory {
  constructor(private readonly dataSource: DataSource) {}

  create(entry: RecipientDto, editedBy: string): Promise<Recipient> {
    checkOfficerOnly(entry);
    return this.dataSource.transaction((manager) => this.insert(manager, entry, editedBy));
  }

  async list(query: RecipientsQueryDto): Promise<Page<Recipient>> {
    const page = await new Filters()
      .equals('unit_id', query.unitId)
      .equals('role', query.role)
      .equals('service_number', query.serviceNumber)
      .page<RecipientRow>(this.dataSource.manager, 'recipients', 'unit_id, role, service_number NULLS FIRST, id', query);
    return { ...page, items: page.items.map(toRecipient) };
  }

  async get(id: string): Promise<Recipient> {
    const [row] = await this.dataSource.query<RecipientRow[]>(`SELECT * FROM recipients WHERE id = $1`, [id]);
    if (!row) throw notFound(id);
    return toRecipient(row);
  }

  /** Every change to one entry, oldest first; an entry removed keeps its history. */
  async history(id: string): Promise<RecipientEdit[]> {
    const rows = await this.dataSource.query<RecipientEditRow[]>(`SELECT * FROM recipient_edits WHERE recipient_id = $1 ORDER BY position`, [id]);
    if (rows.length === 0) await this.get(id); // 404 for an id the directory never had
    return rows.map((row) => ({
      recipientId: row.recipient_id,
      action: row.action,
      editedBy: row.edited_by,
      editedAt: row.edited_at.toISOString(),
      before: row.before,
      after: row.after,
    }));
  }

  /** PUT with a whole entry, PATCH with the fields to change (merged onto the stored entry). */
  update(id: string, changes: Partial<RecipientDto>, editedBy: string): Promise<Recipient> {
    return this.dataSource.transaction(async (manager) => {
      const [row] = await manager.query<RecipientRow[]>(`SELECT * FROM recipients WHERE id = $1 FOR UPDATE`, [id]);
      if (!row) throw notFound(id);
      return this.change(manager, toRecipient(row), merged(toRecipient(row), changes), editedBy);
    });
  }

  remove(id: string, editedBy: string): Promise<void> {
    return this.dataSource.transaction(async (manager) => {
      const [rows] = await manager.query<[RecipientRow[], number]>(`DELETE FROM recipients WHERE id = $1 RETURNING *`, [id]);
      if (!rows[0]) throw notFound(id);
      await this.record(manager, 'removed', editedBy, toRecipient(rows[0]), null);
    });
  }

  /**
   * Inserts the entry, or updates the one with the same officer (or the same unit and role); an
   * entry already as given is left alone, so a restart with the same seed file records nothing.
   * Replicas seeding at once take turns (a transaction lock).
   */
  upsert(entry: RecipientDto, editedBy: string): Promise<void> {
    checkOfficerOnly(entry);
    return this.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext('conduct.recipients-upsert'))`);
      // An erased officer's own entry stays out (an administrator may add one again by hand).
      if (
        entry.serviceNumber &&
        (await manager.query<unknown[]>(`SELECT 1 FROM erased_people WHERE service_number = $1`, [entry.serviceNumber])).length > 0
      )
        return;
      const [row] = entry.serviceNumber
        ? await manager.query<RecipientRow[]>(`SELECT * FROM recipients WHERE service_number = $1 FOR UPDATE`, [entry.serviceNumber])
        : await manager.query<RecipientRow[]>(`SELECT * FROM recipients WHERE unit_id = $1 AND role = $2 AND service_number IS NULL FOR UPDATE`, [
            entry.unitId,
            entry.role,
          ]);
      if (!row) await this.insert(manager, entry, editedBy);
      else if (!sameEntry(toRecipient(row), entry)) await this.change(manager, toRecipient(row), entry, editedBy);
    });
  }

  /**
   * An officer's personal data was erased: their own entry leaves the directory, and every edit
   * of it keeps what was done, by whom and when, with the name and address `[erased]`.
   */
  async erasePerson(manager: EntityManager, serviceNumber: string, erasedAt: string): Promise<void> {
    await manager.query(
      `INSERT INTO erased_people (service_number, erased_at) VALUES ($1, $2) ON CONFLICT (service_number) DO UPDATE SET erased_at = EXCLUDED.erased_at`,
      [serviceNumber, erasedAt],
    );
    const [removed] = await manager.query<[RecipientRow[], number]>(`DELETE FROM recipients WHERE service_number = $1 RETURNING *`, [serviceNumber]);
    const erased = { name: ERASED, email: ERASED };
    await manager.query(
      `UPDATE recipient_edits SET before = CASE WHEN before IS NULL THEN NULL ELSE before || $2::jsonb END,
                                  after  = CASE WHEN after  IS NULL THEN NULL ELSE after  || $2::jsonb END
        WHERE recipient_id = ANY($1::uuid[]) OR before->>'serviceNumber' = $3 OR after->>'serviceNumber' = $3`,
      [removed.map((row) => row.id), JSON.stringify(erased), serviceNumber],
    );
    for (const row of removed) await this.record(manager, 'removed', 'erasure', { ...toRecipient(row), ...erased }, null);
  }

  private async insert(manager: EntityManager, entry: RecipientDto, editedBy: string): Promise<Recipient> {
    try {
      const [row] = await manager.query<RecipientRow[]>(
        `INSERT INTO recipients (id, unit_id, role, name, email, language, service_number, created_by, updated_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING *`,
        [randomUUID(), entry.unitId, entry.role, entry.name, entry.email, entry.language, entry.serviceNumber ?? null, editedBy],
      );
      const created = toRecipient(row!);
      await this.record(manager, 'created', editedBy, null, created);
      return created;
    } catch (error) {
      throw isUniqueViolation(error) ? duplicate(entry) : error;
    }
  }

  private async change(manager: EntityManager, current: Recipient, entry: RecipientDto, editedBy: string): Promise<Recipient> {
    checkOfficerOnly(entry);
    try {
      const [rows] = await manager.query<[RecipientRow[], number]>(
        `UPDATE recipients SET unit_id = $2, role = $3, name = $4, email = $5, language = $6, service_number = $7, updated_at = now(), updated_by = $8
          WHERE id = $1 RETURNING *`,
        [current.id, entry.unitId, entry.role, entry.name, entry.email, entry.language, entry.serviceNumber ?? null, editedBy],
      );
      const changed = toRecipient(rows[0]!);
      await this.record(manager, 'updated', editedBy, current, changed);
      return changed;
    } catch (error) {
      throw isUniqueViolation(error) ? duplicate(entry) : error;
    }
  }

  private async record(
    manager: EntityManager,
    action: RecipientEdit['action'],
    editedBy: string,
    before: Recipient | null,
    after: Recipient | null,
  ): Promise<void> {
    await manager.query(`INSERT INTO recipient_edits (recipient_id, action, edited_by, before, after) VALUES ($1, $2, $3, $4, $5)`, [
      (after ?? before)!.id,
      action,
      editedBy,
      before && JSON.stringify(before),
      after && JSON.stringify(after),
    ]);
  }
}

/**
 * The entry a notice for `audience` goes to, read in the caller's transaction: an officer's own
 * entry, else their unit's officer-facing OFFICER entry; a unit role's entry otherwise.
 */
export async function resolveRecipient(manager: EntityManager, audience: Audience): Promise<Recipient | undefined> {
  const rows = await manager.query<RecipientRow[]>(
    `SELECT * FROM recipients
      WHERE ($1::text IS NOT NULL AND service_number = $1)
         OR (unit_id = $2 AND role = $3 AND service_number IS NULL)
      ORDER BY service_number NULLS LAST LIMIT 1`,
    [audience.role === 'OFFICER' ? audience.serviceNumber : null, audience.unitId, audience.role],
  );
  return rows[0] ? toRecipient(rows[0]) : undefined;
}

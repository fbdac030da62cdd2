import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError } from '@conduct/decider';
import { Filters, Page } from '@conduct/service-runtime';
import { Audience } from '../intake/notice-rules';
import { Recipient, RecipientDto, RecipientsQueryDto } from './recipient.dto';

interface RecipientRow {
  id: string;
  unit_id: string;
  role: string;
  name: string;
  email: string;
  language: string;
  service_number: string | null;
  created_at: Date;
  updated_at: Date;
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
  updatedAt: row.updated_at.toISOString(),
});

const notFound = (id: string): DomainError => new DomainError('not-found', 'recipient.not-found', `No directory entry ${id}`);

/** A second entry for the same officer, or for the same role of a unit, would make resolution a guess. */
function duplicate(entry: RecipientDto): DomainError {
  const what = entry.serviceNumber ? `officer ${entry.serviceNumber}` : `${entry.role} of unit ${entry.unitId}`;
  return new DomainError('conflict', 'recipient.duplicate', `The directory already has an entry for ${what}`, undefined, entry.serviceNumber ? 'serviceNumber' : 'role');
}

function checkOfficerOnly(entry: RecipientDto): void {
  if (entry.serviceNumber !== undefined && entry.role !== 'OFFICER') {
    throw new DomainError('invalid', 'recipient.service-number-needs-officer', 'serviceNumber names one officer: only an OFFICER entry may have it', undefined, 'serviceNumber');
  }
}

const isUniqueViolation = (error: unknown): boolean => typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';

/**
 * The recipient directory: who reads which unit's notices, by role, plus officers' own addresses.
 * Plain reference data in a table, edited by ADMINs; the notices it resolved keep the address they
 * went to (NotificationQueued), so editing an entry never rewrites history.
 */
@Injectable()
export class RecipientDirectory {
  constructor(private readonly dataSource: DataSource) {}

  async create(entry: RecipientDto): Promise<Recipient> {
    checkOfficerOnly(entry);
    try {
      const [row] = await this.dataSource.query<RecipientRow[]>(
        `INSERT INTO recipients (id, unit_id, role, name, email, language, service_number) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
        [randomUUID(), entry.unitId, entry.role, entry.name, entry.email, entry.language, entry.serviceNumber ?? null],
      );
      return toRecipient(row!);
    } catch (error) {
      throw isUniqueViolation(error) ? duplicate(entry) : error;
    }
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

  /** PUT with a whole entry, PATCH with the fields to change (merged onto the stored entry). */
  async update(id: string, changes: Partial<RecipientDto>): Promise<Recipient> {
    const current = await this.get(id);
    const entry: RecipientDto = {
      unitId: changes.unitId ?? current.unitId,
      role: changes.role ?? current.role,
      name: changes.name ?? current.name,
      email: changes.email ?? current.email,
      language: changes.language ?? current.language,
      ...((changes.serviceNumber ?? current.serviceNumber) ? { serviceNumber: changes.serviceNumber ?? current.serviceNumber! } : {}),
    };
    checkOfficerOnly(entry);
    try {
      const [rows] = await this.dataSource.query<[RecipientRow[], number]>(
        `UPDATE recipients SET unit_id = $2, role = $3, name = $4, email = $5, language = $6, service_number = $7, updated_at = now()
          WHERE id = $1 RETURNING *`,
        [id, entry.unitId, entry.role, entry.name, entry.email, entry.language, entry.serviceNumber ?? null],
      );
      if (!rows[0]) throw notFound(id);
      return toRecipient(rows[0]);
    } catch (error) {
      throw isUniqueViolation(error) ? duplicate(entry) : error;
    }
  }

  async remove(id: string): Promise<void> {
    const [, count] = await this.dataSource.query<[unknown[], number]>(`DELETE FROM recipients WHERE id = $1`, [id]);
    if (!count) throw notFound(id);
  }

  /** Inserts the entry, or updates the one with the same officer (or the same unit and role). */
  async upsert(entry: RecipientDto): Promise<void> {
    checkOfficerOnly(entry);
    const conflict = entry.serviceNumber ? `(service_number) WHERE service_number IS NOT NULL` : `(unit_id, role) WHERE service_number IS NULL`;
    await this.dataSource.query(
      `INSERT INTO recipients (id, unit_id, role, name, email, language, service_number) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT ${conflict} DO UPDATE SET unit_id = EXCLUDED.unit_id, name = EXCLUDED.name, email = EXCLUDED.email, language = EXCLUDED.language, updated_at = now()`,
      [randomUUID(), entry.unitId, entry.role, entry.name, entry.email, entry.language, entry.serviceNumber ?? null],
    );
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

import { DomainError } from '@conduct/decider';

/**
 * Where the case list stands after a case, in its order (newest report first, then case id): the
 * report time exactly as PostgreSQL keeps it (microseconds) and the case id. Clients pass it back
 * opaque, as `?after=`.
 */
export interface CaseCursor {
  reportedAt: string;
  caseId: string;
}

export const encodeCaseCursor = ({ reportedAt, caseId }: CaseCursor): string =>
  Buffer.from(JSON.stringify([reportedAt, caseId])).toString('base64url');

const invalidCursor = () =>
  new DomainError('invalid', 'cases.invalid-cursor', '`after` is not a cursor this list gave out (use its `nextCursor`)', undefined, 'after');

export function decodeCaseCursor(text: string): CaseCursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) throw invalidCursor();
  const [reportedAt, caseId] = parsed as unknown[];
  if (typeof reportedAt !== 'string' || Number.isNaN(Date.parse(reportedAt)) || typeof caseId !== 'string' || caseId.length === 0) {
    throw invalidCursor();
  }
  return { reportedAt, caseId };
}

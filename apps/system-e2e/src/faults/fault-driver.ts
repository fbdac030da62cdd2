import { createHash, randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { checkInvariants, InvariantReport, RunningSystem } from '@conduct/service-testing';
import { eventually, withDatabaseClient } from '@conduct/testing';

export const CLEAN: InvariantReport = { lostEvents: [], phantomEvents: [], unconsumed: [], unexpectedDeadLetters: [], brokenChains: [], readModelMismatches: [] };

/** Waits for the system to settle (every consumer at the end, read models current), then checks it. */
export async function settledReport(system: RunningSystem, kafkaBrokers: string[], options: Parameters<typeof checkInvariants>[2] = {}): Promise<InvariantReport> {
  const { rebuild, ...quick } = options;
  await eventually(
    async () => {
      const report = await checkInvariants(system, kafkaBrokers, quick);
      return report.lostEvents.length + report.unconsumed.length + report.readModelMismatches.length === 0;
    },
    { timeoutMs: 90_000, intervalMs: 1000, what: 'the system to settle' },
  ).catch(() => undefined); // the report below says what did not settle
  return checkInvariants(system, kafkaBrokers, { ...quick, ...(rebuild ? { rebuild } : {}) });
}

/** Runs `work` with a client on one service's database. */
export function onDatabase<T>(system: RunningSystem, service: Parameters<RunningSystem['databaseUrl']>[0], work: (client: Client) => Promise<T>): Promise<T> {
  return withDatabaseClient(system.databaseUrl(service), work);
}

/** Commands a fault scenario sends while it breaks things: cases and notes over HTTP, as investigators do. */
export class FaultDriver {
  readonly accepted: string[] = [];
  readonly refused: string[] = [];
  private readonly investigator: string;
  private readonly scope = { province: 'sindh', range: 'karachi', district: 'karachi-south' };

  constructor(private readonly system: RunningSystem) {
    this.investigator = system.token({ subject: 'ia-rashid', roles: ['IA_INVESTIGATOR'], scope: this.scope });
  }

  private async post(path: string, body: object, replica = 0): Promise<{ status: number; body: Record<string, unknown> }> {
    try {
      const response = await fetch(`${this.system.url('violation-service', replica)}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${this.investigator}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(10_000),
      });
      return { status: response.status, body: (await response.json().catch(() => ({}))) as Record<string, unknown> };
    } catch (error) {
      return { status: 0, body: { error: error instanceof Error ? error.message : String(error) } };
    }
  }

  /** Reports one case; answers its id when the service accepted it (201). */
  async reportCase(replica = 0): Promise<string | undefined> {
    const tag = randomBytes(4).toString('hex');
    const day = 86_400_000;
    const ago = (days: number) => new Date(Date.now() - days * day).toISOString();
    const { status, body } = await this.post(
      '/cases',
      {
        officer: { serviceNumber: `KHI-${tag}`, name: 'Imran Ali', rank: 'Constable', unitId: 'ps-clifton' },
        jurisdiction: { ...this.scope, unitId: 'ps-clifton' },
        platform: 'tiktok',
        contentUrl: `https://www.tiktok.com/@officer/video/${tag}`,
        conduct: { kinds: ['video'], features: ['uniform'], usedOfficialAccount: false, platformPermitted: false },
        evidence: { sha256: createHash('sha256').update(tag).digest('hex'), capturedAt: ago(2), archiveLocation: `s3://evidence/${tag}` },
        clauses: ['SND-1'],
        observedAt: ago(3),
        becameKnownAt: ago(2),
        onDuty: true,
        description: 'Video filmed in uniform at the police station',
      },
      replica,
    );
    if (status === 201) {
      const caseId = body['caseId'] as string;
      this.accepted.push(caseId);
      return caseId;
    }
    this.refused.push(`${status} ${JSON.stringify(body).slice(0, 200)}`);
    return undefined;
  }

  /** Serves a takedown notice on a case, as served `daysAgo` days ago (past its 7-day period if more than 7). */
  async serveNotice(caseId: string, daysAgo: number, replica = 0): Promise<boolean> {
    const servedAt = new Date(Date.now() - daysAgo * 86_400_000).toISOString();
    const { status, body } = await this.post(`/cases/${caseId}/takedown-notices`, { servedAt }, replica);
    if (status !== 201) this.refused.push(`${status} ${JSON.stringify(body).slice(0, 200)}`);
    return status === 201;
  }

  /** Adds `count` notes to a case, one after the other (each appends at the version the last left). */
  async addNotes(caseId: string, count: number, replica = 0): Promise<number> {
    let added = 0;
    for (let i = 0; i < count; i++) {
      const { status, body } = await this.post(`/cases/${caseId}/notes`, { text: `note ${i}` }, replica);
      if (status === 201) added += 1;
      else this.refused.push(`${status} ${JSON.stringify(body).slice(0, 200)}`);
    }
    return added;
  }

  /** Reports cases at `perSecond` for `seconds`, spread over the replicas; resolves when the last answered. */
  async steady(perSecond: number, seconds: number, replicas = 1): Promise<void> {
    const sends: Promise<unknown>[] = [];
    for (let i = 0; i < perSecond * seconds; i++) {
      sends.push(this.reportCase(i % replicas));
      await new Promise((resolve) => setTimeout(resolve, 1000 / perSecond));
    }
    await Promise.all(sends);
  }
}

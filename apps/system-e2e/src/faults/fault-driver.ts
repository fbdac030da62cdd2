import { createHash, randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { activeGeneration, checkInvariants, InvariantReport, RunningSystem, ServiceName, SERVICES } from '@conduct/service-testing';
import { eventually, SmtpCatcher, WebhookReceiver, withDatabaseClient } from '@conduct/testing';
import { checkEffects, EffectsReport } from './effects';

export type SystemReport = InvariantReport & EffectsReport;

export const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export const CLEAN: SystemReport = {
  lostEvents: [],
  phantomEvents: [],
  unconsumed: [],
  unexpectedDeadLetters: [],
  brokenChains: [],
  readModelMismatches: [],
  lostEffects: [],
  duplicateEffects: [],
};

export type ReportOptions = Parameters<typeof checkInvariants>[2] & { mail?: SmtpCatcher; receiver?: WebhookReceiver };

/** The invariant check and, when the scenario ran a mail catcher or a webhook receiver, the effects check. */
export async function fullReport(system: RunningSystem, kafkaBrokers: string[], options: ReportOptions = {}): Promise<SystemReport> {
  const { mail, receiver, ...invariants } = options;
  return { ...(await checkInvariants(system, kafkaBrokers, invariants)), ...(await checkEffects(system, { mail, receiver })) };
}

/** Waits for the system to settle (every consumer at the end, read models current, every effect out), then checks it. */
export async function settledReport(system: RunningSystem, kafkaBrokers: string[], options: ReportOptions = {}): Promise<SystemReport> {
  const { rebuild, ...quick } = options;
  let last: SystemReport | undefined;
  const settledIn = await eventually(
    async () => {
      last = await fullReport(system, kafkaBrokers, quick);
      return last.lostEvents.length + last.unconsumed.length + last.readModelMismatches.length + last.lostEffects.length === 0;
    },
    { timeoutMs: 90_000, intervalMs: 1000, what: 'the system to settle' },
  ).catch(() => false); // the report below says what did not settle
  // What the services logged (warnings and errors) is what explains a system that did not settle.
  if (!settledIn) console.log(`the system did not settle within 90 s: ${JSON.stringify(last)}\n${serviceLogs(system)}`);
  return fullReport(system, kafkaBrokers, { ...quick, ...(rebuild ? { rebuild } : {}) });
}

/** The last lines each service's first replica wrote, one block per service. */
function serviceLogs(system: RunningSystem): string {
  return SERVICES.map((service) => `--- ${service} ---\n${system.logs(service)}`).join('\n');
}

/**
 * Variables that make notification-service mail the catcher (recipients from the seed file) and
 * send promptly. A notice claimed by a replica that is then killed goes out again once its lease
 * runs out: 40 s here (longer than the soak holds the mail server), not 2 minutes, so a scenario
 * settles within its wait.
 */
export const mailTo = (mail: SmtpCatcher): Record<string, string> => ({
  SMTP_URL: mail.url,
  RECIPIENTS_SEED_FILE: 'config/recipients.seed.json',
  DISPATCH_INTERVAL_MS: '200',
  NOTICE_LEASE_MS: '40000',
});

/** Runs `work` with a client on one service's database. */
export function onDatabase<T>(
  system: RunningSystem,
  service: Parameters<RunningSystem['databaseUrl']>[0],
  work: (client: Client) => Promise<T>,
): Promise<T> {
  return withDatabaseClient(system.databaseUrl(service), work);
}

/** A gauge or counter of one process, summed over its label sets that match. */
export async function metricOf(
  system: RunningSystem,
  service: ServiceName,
  name: string,
  labels: Record<string, string> = {},
  replica = 0,
): Promise<number> {
  const text = await (await fetch(`${system.url(service, replica)}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .filter((line) => Object.entries(labels).every(([label, value]) => line.includes(`${label}="${value}"`)))
    .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
}

/** How many cases reporting-service's active read models hold, or whether they hold one case. */
export async function reportedCases(system: RunningSystem, caseId?: string): Promise<number> {
  return onDatabase(system, 'reporting-service', async (client) => {
    const generation = await activeGeneration(client);
    if (generation === undefined) return 0;
    const where = caseId === undefined ? '' : ' WHERE case_id = $1';
    const { rows } = await client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM rm_g${generation}.cases${where}`,
      caseId === undefined ? [] : [caseId],
    );
    return rows[0]!.n;
  });
}

/** Commands a fault scenario sends while it breaks things, over HTTP as investigators, approvers and integrations do. */
/** One request to a running replica, with a token: its status and JSON answer ({} when it has none). */
export async function callService(
  system: RunningSystem,
  service: ServiceName,
  path: string,
  token: string,
  body?: object,
  replica = 0,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${system.url(service, replica)}${path}`, {
    method: body ? 'POST' : 'GET',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body ? { body: JSON.stringify(body) } : {}),
    signal: AbortSignal.timeout(10_000),
  });
  return { status: response.status, body: (await response.json().catch(() => ({}))) as Record<string, unknown> };
}

export class FaultDriver {
  /** The ids of the cases reported (201). */
  readonly accepted: string[] = [];
  /** Every refused or failed command: status and the start of the answer. */
  readonly refused: string[] = [];
  /** Commands of any kind answered 2xx. */
  commandsAccepted = 0;
  /** Cases given a notice already past its deadline, and approvals granted to expire soon (mixedTraffic). */
  readonly overdue: string[] = [];
  readonly granted: string[] = [];
  private readonly investigator: string;
  private readonly scope = { province: 'sindh', range: 'karachi', district: 'karachi-south' };

  constructor(private readonly system: RunningSystem) {
    this.investigator = system.token({ subject: 'ia-rashid', roles: ['IA_INVESTIGATOR'], scope: this.scope });
  }

  private async post(
    path: string,
    body: object,
    replica = 0,
    as: { service: ServiceName; token: string } = { service: 'violation-service', token: this.investigator },
  ): Promise<{ status: number; body: Record<string, unknown> }> {
    try {
      const answer = await callService(this.system, as.service, path, as.token, body, replica);
      if (answer.status >= 200 && answer.status < 300) this.commandsAccepted += 1;
      else this.refused.push(`${path}: ${answer.status} ${JSON.stringify(answer.body).slice(0, 200)}`);
      return answer;
    } catch (error) {
      this.refused.push(`${path}: ${error instanceof Error ? error.message : String(error)}`);
      return { status: 0, body: {} };
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
    if (status !== 201) return undefined;
    const caseId = body['caseId'] as string;
    this.accepted.push(caseId);
    return caseId;
  }

  /** Serves a takedown notice on a case, as served `daysAgo` days ago (past its 7-day period if more than 7). */
  async serveNotice(caseId: string, daysAgo: number, replica = 0): Promise<boolean> {
    const servedAt = new Date(Date.now() - daysAgo * 86_400_000).toISOString();
    const { status } = await this.post(`/cases/${caseId}/takedown-notices`, { servedAt }, replica);
    return status === 201;
  }

  /** Registers the district's official account that approvals name; answers its id. */
  async registerAccount(): Promise<string> {
    const media = {
      service: 'approval-service' as const,
      token: this.system.token({ subject: 'media-south', roles: ['MEDIA_TEAM'], scope: this.scope }),
    };
    const { status, body } = await this.post(
      '/official-accounts',
      {
        platform: 'facebook',
        handle: `@SSPKarachiSouth${randomBytes(3).toString('hex')}`,
        kind: 'institutional',
        operatedBy: 'SSP',
        jurisdiction: { ...this.scope, unitId: 'ssp-office-south' },
        mediaTeam: { name: 'SSP South media cell', unitId: 'media-south' },
      },
      0,
      media,
    );
    if (status !== 201) throw new Error(`official account refused: ${status} ${JSON.stringify(body)}`);
    return body['accountId'] as string;
  }

  /**
   * An officer asks for pre-approval and the SSP grants it for `validForMs` from now, so that the
   * expiry watchers find it due soon after; answers the approval id once granted.
   */
  async grantedApproval(officialAccountId: string, validForMs: number, replica = 0): Promise<string | undefined> {
    const officer = {
      service: 'approval-service' as const,
      token: this.system.token({ subject: 'officer-17', roles: ['OFFICER'], scope: { ...this.scope, unit: 'ps-clifton' } }),
    };
    const ssp = { service: 'approval-service' as const, token: this.system.token({ subject: 'ssp-south', roles: ['APPROVER'], scope: this.scope }) };
    const requested = await this.post(
      '/approvals',
      {
        jurisdiction: { ...this.scope, unitId: 'ps-clifton' },
        platform: 'facebook',
        officialAccountId,
        title: 'Road safety week',
        description: 'Traffic police explain helmet rules',
        mediaSha256: createHash('sha256').update(randomBytes(8)).digest('hex'),
        features: ['uniform'],
        intendedPublicationAt: new Date(Date.now() + validForMs / 2).toISOString(),
      },
      replica,
      officer,
    );
    if (requested.status !== 201) return undefined;
    const approvalId = requested.body['approvalId'] as string;
    const window = { validFrom: new Date(Date.now() - 60_000).toISOString(), validUntil: new Date(Date.now() + validForMs).toISOString() };
    const granted = await this.post(`/approvals/${approvalId}/grant`, window, replica, ssp);
    return granted.status === 200 ? approvalId : undefined;
  }

  /** Subscribes an integration's receiver to event types (in the driver's scope); answers the subscription id. */
  async subscribe(targetUrl: string, eventTypes: string[]): Promise<string> {
    const integration = this.system.token({ subject: 'ia-dashboard', roles: ['INTEGRATION'], scope: { province: this.scope.province } });
    const response = await fetch(`${this.system.url('notification-service')}/webhooks/subscriptions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${integration}`, 'content-type': 'application/json' },
      body: JSON.stringify({ targetUrl, eventTypes }), // the secret is generated
    });
    const body = (await response.json()) as { subscriptionId?: string };
    if (response.status !== 201 || !body.subscriptionId) throw new Error(`subscription refused: ${response.status} ${JSON.stringify(body)}`);
    return body.subscriptionId;
  }

  /** Adds `count` notes to a case, one after the other (each appends at the version the last left). */
  async addNotes(caseId: string, count: number, replica = 0): Promise<number> {
    let added = 0;
    for (let i = 0; i < count; i++) {
      const { status } = await this.post(`/cases/${caseId}/notes`, { text: `note ${i}` }, replica);
      if (status === 201) added += 1;
    }
    return added;
  }

  /**
   * Reports probe cases until one is accepted, then waits until reporting-service holds it: the
   * time a command takes to cross the system, in ms from `since`. Gives up after `limitMs`.
   */
  async probe(since = Date.now(), limitMs = 180_000): Promise<number> {
    const late = (what: string): Error => new Error(`${what} within ${limitMs / 1000} s`);
    let caseId: string | undefined;
    while (!(caseId = await this.reportCase(0))) {
      if (Date.now() - since > limitMs) throw late('no probe case was accepted');
      await pause(200);
    }
    // PostgreSQL may be restarting: a failed read is a "not yet".
    while ((await reportedCases(this.system, caseId).catch(() => 0)) === 0) {
      if (Date.now() - since > limitMs) throw late(`probe case ${caseId} did not reach reporting-service`);
      await pause(100);
    }
    return Date.now() - since;
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

  /**
   * Until `until()` says stop, rounds spread over the replicas: a case; every other case a notice
   * served ten days ago (every deadline watcher finds it due: `overdue`); a note; every third round
   * an approval granted for two seconds (every expiry watcher finds it due: `granted`).
   */
  async mixedTraffic(officialAccountId: string, replicas: number, until: () => boolean): Promise<void> {
    for (let round = 0; !until(); round++) {
      const replica = round % replicas;
      const caseId = await this.reportCase(replica);
      if (caseId && round % 2 === 0 && (await this.serveNotice(caseId, 10, replica))) this.overdue.push(caseId);
      if (caseId) await this.addNotes(caseId, 1, replica);
      if (round % 3 === 0) {
        const approvalId = await this.grantedApproval(officialAccountId, 2000, replica);
        if (approvalId) this.granted.push(approvalId);
      }
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  }
}

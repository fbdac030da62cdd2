import { eventually } from '@conduct/testing';
import { RunningSystem, startSystem } from '@conduct/service-testing';

/**
 * The approval workflow end to end: an official account is registered, an officer asks for
 * pre-approval, the SSP grants it, the media team records the publication; each step's event
 * travels through the outbox relay and Kafka into reporting-service, whose approvals report shows
 * it. Four real service processes, real PostgreSQL, real Kafka; driven only over HTTP.
 */
describe('approval workflow reaches the headquarters report', () => {
  let system: RunningSystem;

  beforeAll(async () => {
    system = await startSystem();
  }, 300_000);

  afterAll(async () => {
    await system?.stop();
  }, 60_000);

  const southScope = { province: 'sindh', range: 'karachi', district: 'karachi-south' };
  const mediaSha256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

  /** POST to approval-service as the given person; returns status and body. */
  const post = async (path: string, token: string, body: object): Promise<{ status: number; body: Record<string, unknown> }> => {
    const response = await fetch(`${system.url('approval-service')}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it('walks account → request → grant → publication and shows each step in the HQ report, within scope', async () => {
    const media = system.token({ subject: 'media-south', roles: ['MEDIA_TEAM'], scope: southScope });
    const officer = system.token({ subject: 'officer-17', roles: ['OFFICER'], scope: { ...southScope, unit: 'ps-clifton' } });
    const ssp = system.token({ subject: 'ssp-south', roles: ['APPROVER'], scope: southScope });

    const account = await post('/official-accounts', media, {
      platform: 'facebook',
      handle: '@SSPKarachiSouth',
      kind: 'institutional',
      operatedBy: 'SSP',
      jurisdiction: { ...southScope, unitId: 'ssp-office-south' },
      mediaTeam: { name: 'SSP South media cell', unitId: 'media-south' },
    });
    expect(account.status).toBe(201);
    const officialAccountId = account.body['accountId'] as string;

    const created = await post('/approvals', officer, {
      jurisdiction: { ...southScope, unitId: 'ps-clifton' },
      platform: 'facebook',
      officialAccountId,
      title: 'Road safety week',
      description: 'Traffic police explain helmet rules',
      mediaSha256,
      features: ['uniform', 'vehicle'],
      intendedPublicationAt: '2030-01-01T09:00:00Z',
    });
    expect(created.status).toBe(201);
    const approvalId = created.body['approvalId'] as string;

    const report = async (scope: Record<string, string>) => {
      const token = system.token({ subject: 'hq-1', roles: ['HQ_ANALYST'], scope });
      const response = await fetch(`${system.url('reporting-service')}/reports/approvals`, { headers: { authorization: `Bearer ${token}` } });
      expect(response.status).toBe(200);
      return (await response.json()) as {
        items: { approvalId: string; status: string; title: string; refusedPublications: number; publishedAt: string | null }[];
        total: number;
      };
    };

    const reported = (status: string) =>
      eventually(async () => (await report({})).items.find((item) => item.approvalId === approvalId && item.status === status), {
        timeoutMs: 15_000,
        what: `the approval as ${status} in the national report`,
      });
    expect(await reported('pending')).toMatchObject({ approvalId, title: 'Road safety week' });

    expect(
      (await post(`/approvals/${approvalId}/grant`, ssp, { validFrom: '2029-12-01T00:00:00Z', validUntil: '2030-02-01T00:00:00Z' })).status,
    ).toBe(200);
    await reported('granted');

    const refused = await post(`/approvals/${approvalId}/publications`, media, {
      url: 'https://facebook.com/SSPKarachiSouth/videos/1',
      officialAccountId,
      mediaSha256: 'f'.repeat(64),
      publishedAt: '2030-01-01T09:00:00Z',
    });
    expect(refused).toMatchObject({ status: 422, body: { clause: 'SND-1' } });
    const published = await post(`/approvals/${approvalId}/publications`, media, {
      url: 'https://facebook.com/SSPKarachiSouth/videos/1',
      officialAccountId,
      mediaSha256,
      publishedAt: '2030-01-01T09:00:00Z',
    });
    expect(published.status).toBe(201);
    expect(await reported('published')).toMatchObject({ refusedPublications: 1, publishedAt: '2030-01-01T09:00:00.000Z' });

    expect((await report({ province: 'sindh' })).items.map((i) => i.approvalId)).toContain(approvalId);
    expect((await report({ province: 'punjab' })).items.map((i) => i.approvalId)).not.toContain(approvalId);
  }, 60_000);

  it('refuses the report to an integration account and to a caller without a token', async () => {
    const integration = system.token({ subject: 'crm', roles: ['INTEGRATION'] });
    const forbidden = await fetch(`${system.url('reporting-service')}/reports/approvals`, { headers: { authorization: `Bearer ${integration}` } });
    expect(forbidden.status).toBe(403);
    expect(forbidden.headers.get('content-type')).toContain('application/problem+json');
    const anonymous = await fetch(`${system.url('reporting-service')}/reports/approvals`);
    expect(anonymous.status).toBe(401);
  });

  it('serves health, metrics and OpenAPI on every service without a token', async () => {
    for (const service of ['approval-service', 'violation-service', 'notification-service', 'reporting-service'] as const) {
      expect((await fetch(`${system.url(service)}/health/live`)).status).toBe(200);
      const metrics = await fetch(`${system.url(service)}/metrics`);
      expect(await metrics.text()).toContain('conduct_http_request_duration_seconds');
      expect((await fetch(`${system.url(service)}/docs-json`)).status).toBe(200);
    }
  });
});

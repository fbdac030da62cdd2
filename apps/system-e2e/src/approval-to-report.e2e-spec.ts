import { RunningSystem, startSystem, eventually } from '@conduct/testing';

/**
 * The foundation's end-to-end path: POST /approvals appends ApprovalRequested, the relay publishes
 * it to conduct.approvals.v1, reporting-service projects it, GET /reports/approvals returns it.
 * Four real service processes, real PostgreSQL, real Kafka; driven only over HTTP.
 */
describe('approval request reaches headquarters report', () => {
  let system: RunningSystem;

  beforeAll(async () => {
    system = await startSystem();
  }, 120_000);

  afterAll(async () => {
    await system?.stop();
  }, 60_000);

  const sindhOfficer = () =>
    system.token({ subject: 'officer-17', roles: ['OFFICER'], scope: { province: 'sindh', range: 'karachi', district: 'karachi-south', unit: 'ps-clifton' } });

  const request = {
    jurisdiction: { province: 'sindh', range: 'karachi', district: 'karachi-south', unitId: 'ps-clifton' },
    platform: 'facebook',
    officialAccountId: 'acc-ssp-south',
    title: 'Road safety week',
    description: 'Traffic police explain helmet rules',
    mediaSha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    features: ['uniform', 'vehicle'],
    intendedPublicationAt: '2030-01-01T09:00:00Z',
  };

  it('shows the request in the approvals report of a national HQ analyst and a Sindh one, not a Punjab one', async () => {
    const created = await fetch(`${system.url('approval-service')}/approvals`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sindhOfficer()}`, 'content-type': 'application/json' },
      body: JSON.stringify(request),
    });
    expect(created.status).toBe(201);
    const { approvalId } = (await created.json()) as { approvalId: string };

    const report = async (scope: Record<string, string>) => {
      const token = system.token({ subject: 'hq-1', roles: ['HQ_ANALYST'], scope });
      const response = await fetch(`${system.url('reporting-service')}/reports/approvals`, { headers: { authorization: `Bearer ${token}` } });
      expect(response.status).toBe(200);
      return (await response.json()) as { items: { approvalId: string; status: string; title: string }[]; total: number };
    };

    const national = await eventually(
      async () => {
        const page = await report({});
        return page.items.find((item) => item.approvalId === approvalId);
      },
      { timeoutMs: 15_000, what: 'the approval in the national report' },
    );
    expect(national).toMatchObject({ approvalId, status: 'pending', title: 'Road safety week' });
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

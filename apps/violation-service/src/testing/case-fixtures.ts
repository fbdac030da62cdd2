import request from 'supertest';
import { TestService } from '@conduct/service-testing';

/** People and payloads of a Karachi South case, for the service's integration tests. */
export const karachiSouth = { province: 'sindh', range: 'karachi', district: 'karachi-south', unitId: 'ps-clifton' };
export const officer = { serviceNumber: 'KHI-40172', name: 'Imran Ali', rank: 'Constable', unitId: 'ps-clifton' };

export const people = (service: TestService) => ({
  investigator: service.token({ subject: 'ia-rashid', roles: ['IA_INVESTIGATOR'], scope: { province: 'sindh', range: 'karachi' } }),
  authority: service.token({ subject: 'da-south', roles: ['DISCIPLINARY_AUTHORITY'], scope: { province: 'sindh', district: 'karachi-south' } }),
  appellateAuthority: service.token({ subject: 'da-range', roles: ['DISCIPLINARY_AUTHORITY'], scope: { province: 'sindh', range: 'karachi' } }),
  // The identity provider's login id is not the service number: own-case rules go by the latter.
  officerConcerned: service.token({
    subject: 'imran.ali',
    serviceNumber: officer.serviceNumber,
    roles: ['OFFICER'],
    scope: { province: 'sindh', unit: 'ps-clifton' },
  }),
  otherOfficer: service.token({
    subject: 'bilal.khan',
    serviceNumber: 'KHI-50001',
    roles: ['OFFICER'],
    scope: { province: 'sindh', unit: 'ps-clifton' },
  }),
  mediaTeam: service.token({ subject: 'media-south', roles: ['MEDIA_TEAM'], scope: { province: 'sindh', district: 'karachi-south' } }),
  punjabInvestigator: service.token({ subject: 'ia-lahore', roles: ['IA_INVESTIGATOR'], scope: { province: 'punjab' } }),
});

const daysAgo = (days: number): string => new Date(Date.now() - days * 86_400_000).toISOString();

/** A constable's TikTok video in uniform (SND-1), seen three days ago. */
export const violationReport = () => ({
  officer,
  jurisdiction: karachiSouth,
  platform: 'tiktok',
  contentUrl: 'https://www.tiktok.com/@imran.ali/video/1',
  conduct: { kinds: ['video'], features: ['uniform'], usedOfficialAccount: false, platformPermitted: false },
  evidence: { sha256: 'a'.repeat(64), capturedAt: daysAgo(2), archiveLocation: 's3://conduct-evidence/ev-1' },
  clauses: ['SND-1'],
  observedAt: daysAgo(3),
  becameKnownAt: daysAgo(2),
  onDuty: true,
  description: 'Video filmed in uniform at the Clifton police station',
});

/** A Punjab constable's post made off duty, alleged under PB-1 (which covers on-duty use only). */
export const offDutyPunjabReport = () => ({
  ...violationReport(),
  officer: { serviceNumber: 'LHR-1001', name: 'Ali Raza', rank: 'Constable', unitId: 'ps-model-town' },
  jurisdiction: { province: 'punjab', unitId: 'ps-model-town' },
  conduct: { kinds: ['post'], features: [], usedOfficialAccount: false, platformPermitted: false },
  clauses: ['PB-1'],
  onDuty: false,
});

/** HTTP helpers bound to one service: POST with a token (and optional headers), GET with a token. */
export const http = (service: TestService) => ({
  post: (path: string, token: string, body: object, headers: Record<string, string> = {}) =>
    request(service.app.getHttpServer()).post(path).set('Authorization', `Bearer ${token}`).set(headers).send(body),
  get: (path: string, token: string) => request(service.app.getHttpServer()).get(path).set('Authorization', `Bearer ${token}`),
});

/** Events appended on behalf of people: the service's own watchers and matchers (actors
 * `system:…`) may append in the background at any moment and are left out. */
export const eventCount = async (service: TestService): Promise<number> =>
  Number((await service.db.query<{ n: string }>(`SELECT count(*) AS n FROM events WHERE metadata->'actor'->>'id' NOT LIKE 'system:%'`)).rows[0]!.n);

/** Reports the standard case as the investigator and returns its id. */
export async function reportCase(service: TestService, body: object = violationReport()): Promise<string> {
  const response = await http(service).post('/cases', people(service).investigator, body).expect(201);
  return (response.body as { caseId: string }).caseId;
}

import request from 'supertest';
import { TestService } from '@conduct/service-testing';

/** People and payloads of the approval workflow, for the service's integration tests. */
export const karachiSouth = { province: 'sindh', range: 'karachi', district: 'karachi-south', unitId: 'ps-clifton' };
export const mediaSha256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

export const people = (service: TestService) => ({
  officer: service.token({
    subject: 'officer-17',
    roles: ['OFFICER'],
    scope: { province: 'sindh', range: 'karachi', district: 'karachi-south', unit: 'ps-clifton' },
  }),
  ssp: service.token({ subject: 'ssp-south', roles: ['APPROVER'], scope: { province: 'sindh', range: 'karachi', district: 'karachi-south' } }),
  sspEast: service.token({ subject: 'ssp-east', roles: ['APPROVER'], scope: { province: 'sindh', range: 'karachi', district: 'karachi-east' } }),
  mediaTeam: service.token({
    subject: 'media-south',
    roles: ['MEDIA_TEAM'],
    scope: { province: 'sindh', range: 'karachi', district: 'karachi-south' },
  }),
});

/** Registers an institutional account of SSP Karachi South and returns its id. */
export async function registerAccount(service: TestService, handle = `@SSPSouth${Math.random().toString(36).slice(2, 8)}`): Promise<string> {
  const response = await request(service.app.getHttpServer())
    .post('/official-accounts')
    .set('Authorization', `Bearer ${people(service).mediaTeam}`)
    .send({
      platform: 'facebook',
      handle,
      kind: 'institutional',
      jurisdiction: { province: 'sindh', range: 'karachi', district: 'karachi-south', unitId: 'ssp-office-south' },
      mediaTeam: { name: 'SSP South media cell', unitId: 'media-south' },
      operatedBy: 'SSP',
    })
    .expect(201);
  return (response.body as { accountId: string }).accountId;
}

export const approvalRequest = (officialAccountId: string) => ({
  jurisdiction: karachiSouth,
  platform: 'facebook',
  officialAccountId,
  title: 'Road safety week',
  description: 'Traffic police explain helmet rules',
  mediaSha256,
  features: ['uniform', 'vehicle'],
  intendedPublicationAt: '2030-01-01T09:00:00Z',
});

/** Registers units of this run in the hierarchy registry (as a national ADMIN), for claims that name them. */
export async function registerUnits(
  service: TestService,
  units: { unitId: string; province: string; range?: string; district?: string }[],
): Promise<void> {
  const admin = service.token({ subject: 'admin-units', roles: ['ADMIN'], scope: {} });
  for (const unit of units) {
    await request(service.app.getHttpServer())
      .post('/units')
      .set('Authorization', `Bearer ${admin}`)
      .send({ name: `Unit ${unit.unitId}`, ...unit })
      .expect(201);
  }
}

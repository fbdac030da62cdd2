import type { Principal } from '@conduct/auth';

/** One person a local run can sign in as: a role, a scope and, for an officer, a service number. */
export interface DemoIdentity {
  id: string;
  /** What the sign-in page shows. */
  label: string;
  principal: Principal;
}

/**
 * The people of the README's walkthroughs (Sindh, Karachi), plus headquarters and an administrator:
 * enough to try every screen. They exist only where the console signs in locally
 * (CONSOLE_SIGN_IN=local, refused in production).
 */
export const DEMO_IDENTITIES: readonly DemoIdentity[] = [
  {
    id: 'ia-rashid',
    label: 'Inspector Rashid, internal affairs, Karachi range',
    principal: { subject: 'ia-rashid', roles: ['IA_INVESTIGATOR'], scope: { province: 'sindh', range: 'karachi' } },
  },
  {
    id: 'da-south',
    label: 'SSP Karachi South, disciplinary authority',
    principal: { subject: 'da-south', roles: ['DISCIPLINARY_AUTHORITY'], scope: { province: 'sindh', district: 'karachi-south' } },
  },
  {
    id: 'ssp-south',
    label: 'SSP Karachi South, approver',
    principal: { subject: 'ssp-south', roles: ['APPROVER'], scope: { province: 'sindh', district: 'karachi-south' } },
  },
  {
    id: 'media-south',
    label: 'Media cell of SSP Karachi South',
    principal: { subject: 'media-south', roles: ['MEDIA_TEAM'], scope: { province: 'sindh', district: 'karachi-south' } },
  },
  {
    id: 'hq-analyst',
    label: 'Headquarters analyst, national',
    principal: { subject: 'hq-analyst', roles: ['HQ_ANALYST'], scope: {} },
  },
  {
    id: 'hq-sindh',
    label: 'Headquarters analyst, Sindh',
    principal: { subject: 'hq-sindh', roles: ['HQ_ANALYST'], scope: { province: 'sindh' } },
  },
  {
    id: 'imran.ali',
    label: 'Constable Imran Ali (KHI-40172), officer',
    principal: { subject: 'imran.ali', roles: ['OFFICER'], scope: { province: 'sindh', unit: 'ps-clifton' }, serviceNumber: 'KHI-40172' },
  },
  {
    id: 'admin',
    label: 'Administrator, national',
    principal: { subject: 'admin', roles: ['ADMIN'], scope: {} },
  },
];

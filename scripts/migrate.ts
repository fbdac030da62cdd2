/**
 * `npm run migrate`: brings every service database up to date without starting the services
 * (they also migrate on start). Database URLs: <service>_DATABASE_URL, else
 * $CONDUCT_POSTGRES_URL/conduct_<name> (default postgres://postgres@127.0.0.1:5432), as the
 * databases' owner. SERVICE_ROLE names the role the services connect as: it is granted what a
 * service needs, and SELECT and INSERT only on events (ADR 19).
 */
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { grantServiceRole, migrateUnderLock, serviceMigrations } from '@conduct/event-sourcing';
import { approvalServiceMigrations } from '../apps/approval-service/src/migrations';
import { notificationServiceMigrations } from '../apps/notification-service/src/migrations';
import { reportingMigrations } from '../apps/reporting-service/src/migrations';
import { violationServiceMigrations } from '../apps/violation-service/src/migrations';

const serviceRole = process.env['SERVICE_ROLE'];
const server = (process.env['CONDUCT_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432').replace(/\/+$/, '');

const databases = [
  { service: 'approval', migrations: serviceMigrations(approvalServiceMigrations) },
  { service: 'violation', migrations: serviceMigrations(violationServiceMigrations) },
  { service: 'notification', migrations: serviceMigrations(notificationServiceMigrations) },
  { service: 'reporting', migrations: serviceMigrations(reportingMigrations) },
];

async function main(): Promise<void> {
  for (const { service, migrations } of databases) {
    const url = process.env[`${service.toUpperCase()}_DATABASE_URL`] ?? `${server}/conduct_${service}`;
    const dataSource = new DataSource({ type: 'postgres', url, migrations, logging: false });
    await dataSource.initialize();
    try {
      const applied = await migrateUnderLock(dataSource, serviceRole ? () => grantServiceRole(dataSource, serviceRole) : undefined);
      console.log(
        `${service}: ${applied.length ? applied.map((m) => m.name).join(', ') : 'up to date'}${serviceRole ? `; ${serviceRole} granted` : ''}`,
      );
    } finally {
      await dataSource.destroy();
    }
  }
}

main().catch((error: unknown) => {
  console.error(`migration failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

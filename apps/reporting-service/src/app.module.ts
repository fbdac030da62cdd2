import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { Topics } from '@conduct/messaging';
import { EventSourcingModule, ServiceRuntimeModule } from '@conduct/service-runtime';
import { ApprovalsReportController } from './approvals-report/approvals-report.http.controller';
import { ApprovalsReportHandler } from './approvals-report/approvals-report.handler';
import { approvalsReportHandlers } from './approvals-report/approvals-report.projection';
import { reportingMigrations } from './migrations';

export const SERVICE_NAME = 'reporting-service';

/** Read models only: it publishes nothing and owns no event streams of its own. */
@Module({
  imports: [
    ServiceRuntimeModule.forRoot({ name: SERVICE_NAME }),
    EventSourcingModule.forRoot({
      name: SERVICE_NAME,
      migrations: reportingMigrations,
      consumers: [{ name: 'approvals-report', topics: [Topics.approvals], handlers: approvalsReportHandlers }],
    }),
    CqrsModule.forRoot(),
  ],
  controllers: [ApprovalsReportController],
  providers: [ApprovalsReportHandler],
})
export class AppModule {}

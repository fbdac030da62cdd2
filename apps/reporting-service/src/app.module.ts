import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { EventSourcingModule } from '@conduct/event-sourcing';
import { AccessLogController, CASE_JURISDICTION, ServiceRuntimeModule } from '@conduct/service-runtime';
import { ApprovalsReportController } from './approvals-report/approvals-report.http.controller';
import { ApprovalsReportHandler } from './approvals-report/approvals-report.handler';
import { AnchorFollower } from './chain-anchors/anchor-follower';
import { AnchoredHeads } from './chain-anchors/anchored-heads';
import { CaseDossierController } from './case-dossier/case-dossier.http.controller';
import { CaseDossiers } from './case-dossier/case-dossiers';
import { DossierKeys } from './case-dossier/dossier-keys';
import { CaseJurisdictions } from './case-timeline/case-jurisdictions';
import { CaseTimelineHandler } from './case-timeline/case-timeline.handler';
import { CaseTimelineController } from './case-timeline/case-timeline.http.controller';
import { CasesListHandler } from './cases-list/cases-list.handler';
import { CasesListController } from './cases-list/cases-list.http.controller';
import { EarlyInterventionWhatIfController } from './early-intervention-what-if/what-if.http.controller';
import { GenerationManager } from './generations/generation-manager';
import { Generations } from './generations/generations';
import { ReadModelStore } from './generations/read-model-store';
import { reportingMigrations } from './migrations';
import { readModels } from './read-models';
import { InProcessRebuilds } from './rebuild/in-process-rebuilds';
import { ReadModelsAdminController } from './rebuild/read-models-admin.http.controller';
import { HeadquartersReports } from './reports/headquarters-reports';
import { HeadquartersReportsController } from './reports/headquarters-reports.http.controller';
import { ReportingServiceConfig } from './reporting-service.config';

import { LiveChanges } from './live-updates/live-changes';
import { LiveUpdatesController } from './live-updates/live-updates.http.controller';
export const SERVICE_NAME = 'reporting-service';

/**
 * Read models only: it publishes nothing and owns no event streams of its own. Its consumers are
 * not EventSourcingModule's: GenerationManager runs the one of the active read-model generation.
 */
@Module({
  imports: [
    ServiceRuntimeModule.forRoot({ name: SERVICE_NAME, config: ReportingServiceConfig }),
    EventSourcingModule.forRoot({ name: SERVICE_NAME, migrations: reportingMigrations }),
    CqrsModule.forRoot(),
  ],
  controllers: [
    ApprovalsReportController,
    HeadquartersReportsController,
    CasesListController,
    CaseTimelineController,
    CaseDossierController,
    EarlyInterventionWhatIfController,
    ReadModelsAdminController,
    AccessLogController,
    LiveUpdatesController,
  ],
  providers: [
    { provide: CASE_JURISDICTION, useClass: CaseJurisdictions },
    { provide: Generations, inject: [DataSource], useFactory: (dataSource: DataSource) => new Generations(dataSource, readModels) },
    ReadModelStore,
    GenerationManager,
    ApprovalsReportHandler,
    HeadquartersReports,
    CasesListHandler,
    CaseTimelineHandler,
    AnchoredHeads,
    AnchorFollower,
    DossierKeys,
    CaseDossiers,
    InProcessRebuilds,
    LiveChanges,
  ],
})
export class AppModule {}

import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { orgUnitsHandlers } from '@conduct/approvals-hierarchy';
import { routeContracts, Topics } from '@conduct/messaging';
import { casesContracts } from '@conduct/cases-contracts';
import { CASE_STREAM_TYPE } from '@conduct/cases-domain';
import { PolicyCatalogue } from '@conduct/policy';
import { EventSourcingModule } from '@conduct/event-sourcing';
import { AccessLogController, CASE_JURISDICTION, ServiceRuntimeModule } from '@conduct/service-runtime';
import { AppealController } from './appeal/appeal.http.controller';
import { DecideAppealHandler, FileAppealHandler } from './appeal/appeal.handler';
import { BenchBaselineController } from './bench-baseline/bench-baseline.http.controller';
import { CaseJurisdictions } from './case-jurisdictions';
import { CaseReader } from './case-reader';
import { CASE_SNAPSHOTS } from './case-stream';
import { CasesListController } from './cases-list/cases-list.http.controller';
import { CasesListHandler } from './cases-list/cases-list.handler';
import { casesListHandlers } from './cases-list/cases-list.projection';
import { approvalCoverageConsumers } from './approval-coverage/approval-coverage.consumer';
import { CoverageRecorder } from './approval-coverage/coverage-recorder';
import { earlyInterventionConsumer } from './early-intervention/early-intervention.consumer';
import { CloseCaseController } from './close-case/close-case.http.controller';
import { CloseCaseHandler, ReopenCaseHandler } from './close-case/close-case.handler';
import { UnitPlacements } from './hierarchy/unit-placements';
import { DueProcessController } from './due-process/due-process.http.controller';
import { IssueShowCauseNoticeHandler, RecordPersonalHearingHandler, RecordShowCauseReplyHandler } from './due-process/due-process.handler';
import { showCauseReplyBacklog, ShowCauseReplyWatcher } from './due-process/show-cause-reply.watcher';
import { GetCaseController } from './get-case/get-case.http.controller';
import { GetCaseHandler, GetCaseTrailHandler, VerifyCaseHandler } from './get-case/get-case.handler';
import { ImposeSanctionController } from './impose-sanction/impose-sanction.http.controller';
import { ImposeSanctionHandler } from './impose-sanction/impose-sanction.handler';
import { InvestigateCaseController } from './investigate-case/investigate-case.http.controller';
import { AddEvidenceHandler, AddNoteHandler, AssignInvestigatorHandler } from './investigate-case/investigate-case.handler';
import { RecordFindingController } from './record-finding/record-finding.http.controller';
import { RecordFindingHandler } from './record-finding/record-finding.handler';
import { ReportViolationController } from './report-violation/report-violation.http.controller';
import { ReportViolationHandler } from './report-violation/report-violation.handler';
import { violationServiceMigrations } from './migrations';
import { takedownDeadlineBacklog, TakedownDeadlineWatcher } from './takedown-deadlines/takedown-deadline.watcher';
import { TakedownController } from './takedown/takedown.http.controller';
import { ConfirmContentRemovalHandler, IssueTakedownNoticeHandler } from './takedown/takedown.handler';
import { ViolationServiceConfig } from './violation-service.config';
import { OfficerRecords } from './people/officer-records';
import { PeopleController } from './people/people.http.controller';
import { PersonalDataRetention } from './people/personal-data-retention';
import { RetentionController } from './people/retention.http.controller';
import { withPersonalDataErasure } from './people/personal-data-erasure.consumer';

export const SERVICE_NAME = 'violation-service';

@Module({
  imports: [
    ServiceRuntimeModule.forRoot({ name: SERVICE_NAME, config: ViolationServiceConfig }),
    EventSourcingModule.forRoot({
      name: SERVICE_NAME,
      migrations: violationServiceMigrations,
      route: routeContracts(casesContracts, Topics.cases),
      snapshots: { [CASE_STREAM_TYPE]: CASE_SNAPSHOTS },
      consumers: [
        { name: 'cases-list', topics: [Topics.cases], handlers: casesListHandlers, inStreamOrder: true },
        ...approvalCoverageConsumers,
        withPersonalDataErasure(earlyInterventionConsumer),
        // The hierarchy registry's copy: reports are placed where approval-service has their unit.
        { name: 'org-units', topics: [Topics.approvals], handlers: orgUnitsHandlers, inStreamOrder: true },
      ],
      backlogs: [takedownDeadlineBacklog, showCauseReplyBacklog],
    }),
    CqrsModule.forRoot(),
  ],
  controllers: [
    ReportViolationController,
    GetCaseController,
    CasesListController,
    InvestigateCaseController,
    TakedownController,
    RecordFindingController,
    DueProcessController,
    ImposeSanctionController,
    AppealController,
    CloseCaseController,
    PeopleController,
    RetentionController,
    AccessLogController,
    BenchBaselineController,
  ],
  providers: [
    OfficerRecords,
    PersonalDataRetention,
    { provide: CASE_JURISDICTION, useClass: CaseJurisdictions },
    CoverageRecorder,
    { provide: PolicyCatalogue, useFactory: () => PolicyCatalogue.builtIn() },
    CaseReader,
    UnitPlacements,
    TakedownDeadlineWatcher,
    ShowCauseReplyWatcher,
    CasesListHandler,
    ReportViolationHandler,
    AssignInvestigatorHandler,
    AddEvidenceHandler,
    AddNoteHandler,
    IssueTakedownNoticeHandler,
    ConfirmContentRemovalHandler,
    RecordFindingHandler,
    IssueShowCauseNoticeHandler,
    RecordShowCauseReplyHandler,
    RecordPersonalHearingHandler,
    ImposeSanctionHandler,
    FileAppealHandler,
    DecideAppealHandler,
    CloseCaseHandler,
    ReopenCaseHandler,
    GetCaseHandler,
    GetCaseTrailHandler,
    VerifyCaseHandler,
  ],
})
export class AppModule {}

import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { PolicyCatalogue } from '@conduct/policy';
import { EventSourcingModule, ServiceRuntimeModule } from '@conduct/service-runtime';
import { AppealController } from './appeal/appeal.http.controller';
import { DecideAppealHandler, FileAppealHandler } from './appeal/appeal.handler';
import { CaseCommands } from './case-commands';
import { CaseReader } from './case-reader';
import { routeCaseEvent } from './case-routes';
import { CloseCaseController } from './close-case/close-case.http.controller';
import { CloseCaseHandler, ReopenCaseHandler } from './close-case/close-case.handler';
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
import { TakedownController } from './takedown/takedown.http.controller';
import { ConfirmContentRemovalHandler, IssueTakedownNoticeHandler } from './takedown/takedown.handler';

export const SERVICE_NAME = 'violation-service';

@Module({
  imports: [ServiceRuntimeModule.forRoot({ name: SERVICE_NAME }), EventSourcingModule.forRoot({ name: SERVICE_NAME, route: routeCaseEvent }), CqrsModule.forRoot()],
  controllers: [
    ReportViolationController,
    GetCaseController,
    InvestigateCaseController,
    TakedownController,
    RecordFindingController,
    ImposeSanctionController,
    AppealController,
    CloseCaseController,
  ],
  providers: [
    { provide: PolicyCatalogue, useFactory: () => PolicyCatalogue.builtIn() },
    CaseCommands,
    CaseReader,
    ReportViolationHandler,
    AssignInvestigatorHandler,
    AddEvidenceHandler,
    AddNoteHandler,
    IssueTakedownNoticeHandler,
    ConfirmContentRemovalHandler,
    RecordFindingHandler,
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

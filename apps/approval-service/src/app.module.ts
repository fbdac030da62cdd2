import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { orgUnitsHandlers } from '@conduct/approvals-hierarchy';
import { approvalContracts } from '@conduct/approvals-contracts';
import { routeContracts, Topics } from '@conduct/messaging';
import { PolicyCatalogue } from '@conduct/policy';
import { EventSourcingModule } from '@conduct/event-sourcing';
import { ServiceRuntimeModule } from '@conduct/service-runtime';
import { ApprovalPolicy } from './approval-policy';
import { ApprovalServiceConfig } from './approval-service.config';
import { ApprovalsListController } from './approvals-list/approvals-list.http.controller';
import { ApprovalsListHandler } from './approvals-list/approvals-list.handler';
import { approvalsListHandlers } from './approvals-list/approvals-list.projection';
import { DecideApprovalController } from './decide-approval/decide-approval.http.controller';
import { GrantApprovalHandler, RejectApprovalHandler } from './decide-approval/decide-approval.handler';
import { approvalExpiryBacklog, ApprovalExpiryWatcher } from './expire-approvals/approval-expiry.watcher';
import { GetApprovalController } from './get-approval/get-approval.http.controller';
import { GetApprovalHandler } from './get-approval/get-approval.handler';
import { approvalServiceMigrations } from './migrations';
import { OfficialAccountStanding } from './official-account-standing';
import { OrgUnitsController } from './org-units/org-units.http.controller';
import { UnitRegistry } from './org-units/unit-registry';
import { GetOfficialAccountController } from './get-official-account/get-official-account.http.controller';
import { GetOfficialAccountHandler } from './get-official-account/get-official-account.handler';
import { OfficialAccountsListController } from './official-accounts-list/official-accounts-list.http.controller';
import { OfficialAccountsListHandler } from './official-accounts-list/official-accounts-list.handler';
import { officialAccountsListHandlers } from './official-accounts-list/official-accounts-list.projection';
import { RegisterOfficialAccountController } from './register-official-account/register-official-account.http.controller';
import { RegisterOfficialAccountHandler } from './register-official-account/register-official-account.handler';
import { ReinstateOfficialAccountController } from './reinstate-official-account/reinstate-official-account.http.controller';
import { ReinstateOfficialAccountHandler } from './reinstate-official-account/reinstate-official-account.handler';
import { SuspendOfficialAccountController } from './suspend-official-account/suspend-official-account.http.controller';
import { SuspendOfficialAccountHandler } from './suspend-official-account/suspend-official-account.handler';
import { RecordPublicationController } from './record-publication/record-publication.http.controller';
import { RecordPublicationHandler } from './record-publication/record-publication.handler';
import { RequestApprovalController } from './request-approval/request-approval.http.controller';
import { RequestApprovalHandler } from './request-approval/request-approval.handler';
import { RevokeApprovalController } from './revoke-approval/revoke-approval.http.controller';
import { RevokeApprovalHandler } from './revoke-approval/revoke-approval.handler';
import { WithdrawApprovalController } from './withdraw-approval/withdraw-approval.http.controller';
import { WithdrawApprovalHandler } from './withdraw-approval/withdraw-approval.handler';

export const SERVICE_NAME = 'approval-service';

@Module({
  imports: [
    ServiceRuntimeModule.forRoot({ name: SERVICE_NAME, config: ApprovalServiceConfig }),
    EventSourcingModule.forRoot({
      name: SERVICE_NAME,
      migrations: approvalServiceMigrations,
      route: routeContracts(approvalContracts, Topics.approvals),
      consumers: [
        // Lists keep a version per row: each stream is applied in order, a late event never dropped.
        { name: 'approvals-list', topics: [Topics.approvals], handlers: approvalsListHandlers, inStreamOrder: true },
        { name: 'official-accounts-list', topics: [Topics.approvals], handlers: officialAccountsListHandlers, inStreamOrder: true },
        { name: 'org-units', topics: [Topics.approvals], handlers: orgUnitsHandlers, inStreamOrder: true },
      ],
      backlogs: [approvalExpiryBacklog],
    }),
    CqrsModule.forRoot(),
  ],
  controllers: [
    RequestApprovalController,
    GetApprovalController,
    ApprovalsListController,
    DecideApprovalController,
    WithdrawApprovalController,
    RevokeApprovalController,
    RecordPublicationController,
    RegisterOfficialAccountController,
    SuspendOfficialAccountController,
    ReinstateOfficialAccountController,
    GetOfficialAccountController,
    OfficialAccountsListController,
    OrgUnitsController,
  ],
  providers: [
    { provide: PolicyCatalogue, useFactory: () => PolicyCatalogue.builtIn() },
    ApprovalPolicy,
    OfficialAccountStanding,
    ApprovalExpiryWatcher,
    RequestApprovalHandler,
    GetApprovalHandler,
    ApprovalsListHandler,
    GrantApprovalHandler,
    RejectApprovalHandler,
    WithdrawApprovalHandler,
    RevokeApprovalHandler,
    RecordPublicationHandler,
    RegisterOfficialAccountHandler,
    SuspendOfficialAccountHandler,
    ReinstateOfficialAccountHandler,
    GetOfficialAccountHandler,
    OfficialAccountsListHandler,
    UnitRegistry,
  ],
})
export class AppModule {}

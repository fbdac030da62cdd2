import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { EventSourcingModule, ServiceRuntimeModule } from '@conduct/service-runtime';
import { routeApprovalEvent } from './approval-routes';
import { GetApprovalController } from './get-approval/get-approval.http.controller';
import { GetApprovalHandler } from './get-approval/get-approval.handler';
import { RequestApprovalController } from './request-approval/request-approval.http.controller';
import { RequestApprovalHandler } from './request-approval/request-approval.handler';

export const SERVICE_NAME = 'approval-service';

@Module({
  imports: [
    ServiceRuntimeModule.forRoot({ name: SERVICE_NAME }),
    EventSourcingModule.forRoot({ name: SERVICE_NAME, route: routeApprovalEvent }),
    CqrsModule.forRoot(),
  ],
  controllers: [RequestApprovalController, GetApprovalController],
  providers: [RequestApprovalHandler, GetApprovalHandler],
})
export class AppModule {}

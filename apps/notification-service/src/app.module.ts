import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { EventSourcingModule, ServiceRuntimeModule } from '@conduct/service-runtime';

export const SERVICE_NAME = 'notification-service';

/** The service shell: runtime, event store and messaging. Its domain arrives with its own issue. */
@Module({
  imports: [
    ServiceRuntimeModule.forRoot({ name: SERVICE_NAME }),
    EventSourcingModule.forRoot({ name: SERVICE_NAME }),
    CqrsModule.forRoot(),
  ],
})
export class AppModule {}

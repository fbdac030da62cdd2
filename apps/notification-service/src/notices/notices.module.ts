import { Module } from '@nestjs/common';
import { PolicyCatalogue } from '@conduct/policy';
import { NotificationsLogController } from './audit/notifications-log.http.controller';
import { RecipientDirectory } from './directory/recipient-directory';
import { RecipientsSeed } from './directory/recipients.seed';
import { RecipientsController } from './directory/recipients.http.controller';
import { MailSender } from './dispatch/mail-sender';
import { NoticeDispatcher } from './dispatch/notice-dispatcher';
import { NoticeIntake } from './intake/notice-intake';

/** Notices to people: the recipient directory, the notice consumers' runtime, the mail dispatcher and the audit log. */
@Module({
  controllers: [RecipientsController, NotificationsLogController],
  providers: [
    RecipientDirectory,
    RecipientsSeed,
    NoticeIntake,
    MailSender,
    NoticeDispatcher,
    { provide: PolicyCatalogue, useFactory: () => PolicyCatalogue.builtIn() },
  ],
})
export class NoticesModule {}

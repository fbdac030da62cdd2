import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { createTransport, Transporter } from 'nodemailer';
import { NotificationServiceConfig } from '../../notification-service.config';
import { QueuedMessage } from '../intake/notice-queue';

/** The Message-ID of a notice: derived from its id, so a resend after a crash is recognisably the same mail. */
export const messageIdOf = (notificationId: string): string => `<${notificationId}@notifications.conduct>`;

/** Why a send failed, and whether trying again can help (4xx and network trouble can; 5xx cannot). */
export class SendFailure extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
    this.name = 'SendFailure';
  }
}

/** Mail over SMTP through a pool of kept-open connections (SMTP_POOL_SIZE), one per concurrent send. */
@Injectable()
export class MailSender implements OnModuleDestroy {
  private readonly transport: Transporter;

  constructor(private readonly config: NotificationServiceConfig) {
    this.transport = createTransport({
      url: config.SMTP_URL,
      pool: true,
      maxConnections: config.SMTP_POOL_SIZE,
      // A stalled server must fail the attempt (and free the row lock) in seconds, not nodemailer's minutes.
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    });
  }

  async send(notificationId: string, message: QueuedMessage): Promise<string> {
    const messageId = messageIdOf(notificationId);
    try {
      await this.transport.sendMail({
        from: this.config.MAIL_FROM,
        to: { name: message.toName, address: message.to },
        subject: message.subject,
        text: message.text,
        html: message.html,
        messageId,
        headers: { 'X-Conduct-Notification-Id': notificationId },
      });
    } catch (error) {
      const responseCode = (error as { responseCode?: unknown }).responseCode;
      const reason = error instanceof Error ? error.message : String(error);
      throw new SendFailure(reason, typeof responseCode === 'number' && responseCode >= 500);
    }
    return messageId;
  }

  onModuleDestroy(): void {
    this.transport.close();
  }
}

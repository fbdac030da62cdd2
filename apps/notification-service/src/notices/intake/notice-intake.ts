import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { CLOCK, Clock } from '@conduct/service-runtime';
import { NotificationServiceConfig } from '../../notification-service.config';

/** The intake of the app running in this process. */
const running: { intake?: NoticeIntake } = {};

/**
 * What the notice consumers need from the running app: the clock, the reminder offsets and a
 * logger. Consumers are plain InboxHandlers declared before Nest builds anything
 * (EventSourcingModule.forRoot({ consumers })), so the app registers its intake here when its
 * module starts and the handlers look it up when a message arrives (one app per process; a
 * restarted test app replaces the previous one).
 */
@Injectable()
export class NoticeIntake implements OnModuleInit, OnModuleDestroy {
  constructor(
    private readonly config: NotificationServiceConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext('notice-intake');
  }

  onModuleInit(): void {
    running.intake = this;
  }

  onModuleDestroy(): void {
    if (running.intake === this) delete running.intake;
  }

  now(): Date {
    return this.clock.now();
  }

  /** True when an event recorded at `recordedAt` is too old to notify anyone now (NOTICE_MAX_EVENT_AGE_HOURS). */
  isTooOldToNotify(recordedAt: string): boolean {
    const maxAgeHours = this.config.NOTICE_MAX_EVENT_AGE_HOURS;
    return maxAgeHours > 0 && this.now().getTime() - Date.parse(recordedAt) > maxAgeHours * 3_600_000;
  }

  get reminderOffsetsHours(): readonly number[] {
    return this.config.REMINDER_OFFSETS_HOURS;
  }

  readonly warn = (message: string): void => this.logger.warn(message);
}

export function activeNoticeIntake(): NoticeIntake {
  if (!running.intake) throw new Error('no NoticeIntake: NoticesModule has not started in this process');
  return running.intake;
}

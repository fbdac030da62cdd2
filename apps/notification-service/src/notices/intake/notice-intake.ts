import { Inject, Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { PersonalDataKeys } from '@conduct/personal-data';
import { EventStore } from '@conduct/event-store';
import { PolicyCatalogue } from '@conduct/policy';
import { CLOCK, Clock } from '@conduct/event-sourcing';
import { NotificationServiceConfig } from '../../notification-service.config';

/**
 * What the notice consumers need from the running app: the clock, the reminder offsets, the policy
 * packs whose clauses notices quote, the event store of the notices' streams and a logger.
 */
@Injectable()
export class NoticeIntake {
  constructor(
    private readonly config: NotificationServiceConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    readonly packs: PolicyCatalogue,
    readonly store: EventStore,
    readonly personalData: PersonalDataKeys,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext('notice-intake');
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

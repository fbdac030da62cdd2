import { readFile } from 'node:fs/promises';
import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { validateJsonArray } from '@conduct/messaging';
import { NotificationServiceConfig } from '../../notification-service.config';
import { RecipientDto } from './recipient.dto';
import { RecipientDirectory, SEED_EDITOR } from './recipient-directory';

export class InvalidRecipientsSeedError extends Error {
  constructor(file: string, reason: string) {
    super(`RECIPIENTS_SEED_FILE ${file}: ${reason}`);
    this.name = 'InvalidRecipientsSeedError';
  }
}

/** Every entry of a seed file, validated like a POST body; the first bad one is named and nothing is loaded. */
export async function parseRecipientsSeed(file: string, json: string): Promise<RecipientDto[]> {
  const checked = await validateJsonArray(RecipientDto, json, 'entry');
  if (!checked.valid) throw new InvalidRecipientsSeedError(file, checked.reason);
  const misplaced = checked.value.findIndex((entry) => entry.serviceNumber !== undefined && entry.role !== 'OFFICER');
  if (misplaced >= 0) throw new InvalidRecipientsSeedError(file, `entry [${misplaced}]: serviceNumber is only for role OFFICER`);
  return checked.value;
}

/** Loads RECIPIENTS_SEED_FILE on start (upsert: a restart with the same file changes nothing). */
@Injectable()
export class RecipientsSeed implements OnApplicationBootstrap {
  constructor(
    private readonly config: NotificationServiceConfig,
    private readonly directory: RecipientDirectory,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(RecipientsSeed.name);
  }

  async onApplicationBootstrap(): Promise<void> {
    const file = this.config.RECIPIENTS_SEED_FILE;
    if (!file) return;
    const entries = await parseRecipientsSeed(file, await readFile(file, 'utf8'));
    for (const entry of entries) await this.directory.upsert(entry, SEED_EDITOR);
    this.logger.info({ file, entries: entries.length }, 'recipient directory seeded');
  }
}

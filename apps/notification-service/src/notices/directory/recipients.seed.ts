import { readFile } from 'node:fs/promises';
import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { validateContract } from '@conduct/messaging';
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
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (error) {
    throw new InvalidRecipientsSeedError(file, `not JSON (${(error as Error).message})`);
  }
  if (!Array.isArray(parsed)) throw new InvalidRecipientsSeedError(file, 'expected a JSON array of directory entries');
  const entries: RecipientDto[] = [];
  for (const [index, value] of parsed.entries()) {
    const checked = await validateContract(RecipientDto, value, { forbidUnknownFields: true });
    if (!checked.valid) throw new InvalidRecipientsSeedError(file, `entry [${index}] ${JSON.stringify(value)}: ${checked.reason}`);
    if (checked.value.serviceNumber !== undefined && checked.value.role !== 'OFFICER') {
      throw new InvalidRecipientsSeedError(file, `entry [${index}]: serviceNumber is only for role OFFICER`);
    }
    entries.push(checked.value);
  }
  return entries;
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

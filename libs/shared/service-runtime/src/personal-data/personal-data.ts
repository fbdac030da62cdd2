import {
  CallHandler,
  ExecutionContext,
  Injectable,
  Logger,
  NestInterceptor,
  OnApplicationShutdown,
  Provider,
  SetMetadata,
  StreamableFile,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Pool } from 'pg';
import { from, mergeMap, Observable } from 'rxjs';
import { BaseServiceConfig } from '@conduct/config';
import { keystorePool, keystoreReady, PersonalDataKeys, prepareKeystore } from '@conduct/personal-data';

/** Closes the keystore's connections with the app. */
@Injectable()
export class KeystoreConnections implements OnApplicationShutdown {
  constructor(readonly pool: Pool) {}

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
  }
}

/**
 * The keystore of per-person keys (ADR 21), prepared by its owner on a first start (the database,
 * the table, the grants) and then reached as the service's own role.
 */
export const personalDataProviders: Provider[] = [
  {
    provide: KeystoreConnections,
    inject: [BaseServiceConfig],
    useFactory: async (config: BaseServiceConfig) => {
      const url = config.keystoreUrl;
      const ownerUrl = config.keystoreMigrationUrl;
      if (ownerUrl && !(await keystoreReady(url))) await prepareKeystore(ownerUrl, decodeURIComponent(new URL(url).username) || 'postgres');
      const logger = new Logger('PersonalDataKeys');
      return new KeystoreConnections(
        keystorePool(url, 4, (error) => logger.warn(`keystore connection lost (replaced at the next query): ${error.message}`)),
      );
    },
  },
  {
    provide: PersonalDataKeys,
    inject: [BaseServiceConfig, KeystoreConnections],
    useFactory: (config: BaseServiceConfig, connections: KeystoreConnections) =>
      new PersonalDataKeys({
        pool: connections.pool,
        masterKey: config.personalDataMasterKey,
        cacheMs: config.PERSONAL_DATA_KEY_CACHE_MS,
        onUnreadableKey: (keyId) =>
          new Logger('PersonalDataKeys').error(
            `key ${keyId} does not unwrap under PERSONAL_DATA_KEY: its values read [erased] (is the master key the same for every service?)`,
          ),
      }),
  },
];

const KEEP_SEALED = 'conduct:keep-sealed';

/**
 * The route answers personal data sealed, as stored and hashed: a stream's envelopes for a
 * verifier (GET /cases/:id/events, the dossier), which must recompute every hash.
 */
export const KeepSealed = (): MethodDecorator & ClassDecorator => SetMetadata(KEEP_SEALED, true);

/**
 * Opens the personal data in every answer, at the last moment: reads hold sealed tokens (read
 * models, snapshots and events keep the ciphertext) and the caller gets the plain value, or
 * `[erased]` where the person's key is gone. Redaction runs before it, in the handlers: a name a
 * reader may not see is null before it would be opened.
 */
@Injectable()
export class OpenPersonalDataInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly keys: PersonalDataKeys,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    if (this.reflector.getAllAndOverride<boolean | undefined>(KEEP_SEALED, [context.getHandler(), context.getClass()])) return next.handle();
    return next
      .handle()
      .pipe(mergeMap((answer: unknown) => (answer instanceof StreamableFile || Buffer.isBuffer(answer) ? [answer] : from(this.keys.open(answer)))));
  }
}

import { ConfigValidationError, loadConfig } from '@conduct/config';
import { NotificationServiceConfig } from './notification-service.config';

const env = { PORT: '3003', DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/conduct_notification', KAFKA_BROKERS: '127.0.0.1:9092' };
const secretsKey = Buffer.alloc(32, 7).toString('base64');
const production = {
  ...env,
  NODE_ENV: 'production',
  JWT_JWKS_URL: 'https://idp.police.gov.pk/certs',
  JWT_ISSUER: 'https://idp.police.gov.pk',
  WEBHOOK_SECRETS_KEY: secretsKey,
  KEYSTORE_URL: 'postgres://conduct_service@keys.internal:5432/conduct_keys',
  PERSONAL_DATA_KEY: Buffer.alloc(32, 9).toString('base64'),
};

describe('notification-service configuration of webhook targets', () => {
  it('lets webhooks use plain http outside production only, unless told otherwise', () => {
    expect(loadConfig(NotificationServiceConfig, env).webhookPlainHttpAllowed).toBe(true);
    expect(loadConfig(NotificationServiceConfig, { ...env, WEBHOOK_ALLOW_HTTP: 'false' }).webhookPlainHttpAllowed).toBe(false);
    expect(loadConfig(NotificationServiceConfig, production).webhookPlainHttpAllowed).toBe(false);
  });

  it('refuses to start in production when webhooks may use plain http', () => {
    expect(() => loadConfig(NotificationServiceConfig, { ...production, WEBHOOK_ALLOW_HTTP: 'true' })).toThrow(
      new ConfigValidationError([
        { variable: 'WEBHOOK_ALLOW_HTTP', reason: 'WEBHOOK_ALLOW_HTTP=true sends signed events over plain http: production requires https targets' },
      ]),
    );
  });

  it('reads the networks webhooks may reach although private, and refuses a list that is not one', () => {
    expect(loadConfig(NotificationServiceConfig, { ...env, WEBHOOK_ALLOWED_NETWORKS: '127.0.0.0/8, ::1/128' }).WEBHOOK_ALLOWED_NETWORKS).toEqual([
      '127.0.0.0/8',
      '::1/128',
    ]);
    expect(loadConfig(NotificationServiceConfig, env).WEBHOOK_ALLOWED_NETWORKS).toEqual([]);
    expect(() => loadConfig(NotificationServiceConfig, { ...env, WEBHOOK_ALLOWED_NETWORKS: 'localhost' })).toThrow(
      /WEBHOOK_ALLOWED_NETWORKS must be a comma-separated list of networks/,
    );
  });

  it('seals webhook secrets under WEBHOOK_SECRETS_KEY: required in production, 32 bytes of base64', () => {
    expect(loadConfig(NotificationServiceConfig, production).webhookSecretsKey()).toEqual(Buffer.alloc(32, 7));
    const { WEBHOOK_SECRETS_KEY: _, ...withoutKey } = production;
    expect(() => loadConfig(NotificationServiceConfig, withoutKey)).toThrow(
      new ConfigValidationError([
        { variable: 'WEBHOOK_SECRETS_KEY', reason: 'production needs its own key to seal webhook secrets at rest (openssl rand -base64 32)' },
      ]),
    );
    expect(() => loadConfig(NotificationServiceConfig, { ...env, WEBHOOK_SECRETS_KEY: 'too-short' })).toThrow(
      /WEBHOOK_SECRETS_KEY must be the base64 of 32 random bytes/,
    );
  });

  it('reads the keys being rotated out of WEBHOOK_SECRETS_EXTRA_KEYS, none by default', () => {
    const old = [Buffer.alloc(32, 1), Buffer.alloc(32, 2)];
    const extra = { ...production, WEBHOOK_SECRETS_EXTRA_KEYS: old.map((key) => key.toString('base64')).join(', ') };
    expect(loadConfig(NotificationServiceConfig, extra).webhookSecretsExtraKeys()).toEqual(old);
    expect(loadConfig(NotificationServiceConfig, production).webhookSecretsExtraKeys()).toEqual([]);
    // docker-compose passes it empty when unset.
    expect(loadConfig(NotificationServiceConfig, { ...production, WEBHOOK_SECRETS_EXTRA_KEYS: '' }).webhookSecretsExtraKeys()).toEqual([]);
    expect(() => loadConfig(NotificationServiceConfig, { ...env, WEBHOOK_SECRETS_EXTRA_KEYS: 'short' })).toThrow(
      /WEBHOOK_SECRETS_EXTRA_KEYS must hold base64 keys of 32 bytes/,
    );
  });
});

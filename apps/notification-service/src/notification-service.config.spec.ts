import { ConfigValidationError, loadConfig } from '@conduct/service-runtime';
import { NotificationServiceConfig } from './notification-service.config';

const env = { PORT: '3003', DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/conduct_notification', KAFKA_BROKERS: '127.0.0.1:9092' };
const production = { ...env, NODE_ENV: 'production', JWT_JWKS_URL: 'https://idp.police.gov.pk/certs', JWT_ISSUER: 'https://idp.police.gov.pk' };

describe('notification-service configuration of webhook targets', () => {
  it('lets webhooks use plain http outside production only, unless told otherwise', () => {
    expect(loadConfig(NotificationServiceConfig, env).webhookPlainHttpAllowed).toBe(true);
    expect(loadConfig(NotificationServiceConfig, { ...env, WEBHOOK_ALLOW_HTTP: 'false' }).webhookPlainHttpAllowed).toBe(false);
    expect(loadConfig(NotificationServiceConfig, production).webhookPlainHttpAllowed).toBe(false);
  });

  it('refuses to start in production when webhooks may use plain http', () => {
    expect(() => loadConfig(NotificationServiceConfig, { ...production, WEBHOOK_ALLOW_HTTP: 'true' })).toThrow(
      new ConfigValidationError([{ variable: 'WEBHOOK_ALLOW_HTTP', reason: 'WEBHOOK_ALLOW_HTTP=true sends signed events over plain http: production requires https targets' }]),
    );
  });

  it('reads the networks webhooks may reach although private, and refuses a list that is not one', () => {
    expect(loadConfig(NotificationServiceConfig, { ...env, WEBHOOK_ALLOWED_NETWORKS: '127.0.0.0/8, ::1/128' }).WEBHOOK_ALLOWED_NETWORKS).toEqual(['127.0.0.0/8', '::1/128']);
    expect(loadConfig(NotificationServiceConfig, env).WEBHOOK_ALLOWED_NETWORKS).toEqual([]);
    expect(() => loadConfig(NotificationServiceConfig, { ...env, WEBHOOK_ALLOWED_NETWORKS: 'localhost' })).toThrow(/WEBHOOK_ALLOWED_NETWORKS must be a comma-separated list of networks/);
  });
});

import { ConsoleConfigError, loadConsoleConfig } from './console-config';

describe('the console’s settings', () => {
  const oidc = {
    CONSOLE_SIGN_IN: 'oidc',
    CONSOLE_OIDC_ISSUER: 'https://login.police.example',
    CONSOLE_OIDC_CLIENT_ID: 'conduct-console',
    CONSOLE_PUBLIC_URL: 'https://conduct.police.example/',
  };

  it('signs in with demo identities by default outside production', () => {
    expect(loadConsoleConfig({})).toMatchObject({
      signIn: 'local',
      port: 3000,
      secureCookie: false,
      services: { violation: 'http://127.0.0.1:3002' },
    });
  });

  it('refuses demo identities in production, and signs in at the identity provider by default there', () => {
    expect(() => loadConsoleConfig({ NODE_ENV: 'production', CONSOLE_SIGN_IN: 'local' })).toThrow(/refused with NODE_ENV=production/);
    expect(() => loadConsoleConfig({ NODE_ENV: 'production' })).toThrow(/CONSOLE_OIDC_ISSUER is required/);
    const production = loadConsoleConfig({ ...oidc, NODE_ENV: 'production', CONSOLE_SIGN_IN: undefined });
    expect(production).toMatchObject({
      signIn: 'oidc',
      secureCookie: true,
      oidc: {
        issuer: 'https://login.police.example',
        clientId: 'conduct-console',
        redirectUri: 'https://conduct.police.example/bff/oidc/callback',
        scope: 'openid',
        allowHttp: false,
      },
    });
  });

  it('refuses plain HTTP to the provider or for the console in production', () => {
    expect(() => loadConsoleConfig({ ...oidc, NODE_ENV: 'production', CONSOLE_OIDC_ALLOW_HTTP: 'true' })).toThrow(ConsoleConfigError);
    expect(() => loadConsoleConfig({ ...oidc, NODE_ENV: 'production', CONSOLE_PUBLIC_URL: 'http://conduct.police.example' })).toThrow(
      /must be https/,
    );
    expect(() => loadConsoleConfig({ ...oidc, CONSOLE_OIDC_ISSUER: 'http://127.0.0.1:9000' })).toThrow(/CONSOLE_OIDC_ISSUER must be https/);
    expect(loadConsoleConfig({ ...oidc, CONSOLE_OIDC_ISSUER: 'http://127.0.0.1:9000', CONSOLE_OIDC_ALLOW_HTTP: 'true' }).oidc?.allowHttp).toBe(true);
  });

  it('names the setting at fault', () => {
    expect(() => loadConsoleConfig({ PORT: 'eighty' })).toThrow('PORT must be a positive integer, got "eighty"');
    expect(() => loadConsoleConfig({ VIOLATION_SERVICE_URL: 'ftp://x' })).toThrow(/VIOLATION_SERVICE_URL must be an http\(s\) URL/);
    expect(() => loadConsoleConfig({ CONSOLE_SIGN_IN: 'saml' })).toThrow(/CONSOLE_SIGN_IN must be "local" or "oidc"/);
  });
});

import { chromium, Browser } from 'playwright-core';
import { RunningSystem, startSystem } from '@conduct/service-testing';
import { freePort, OidcProvider, startOidcProvider } from '@conduct/testing';
import { RunningConsole, startConsole } from './console-process';

const CLIENT_ID = 'conduct-console';
const CLIENT_SECRET = 'console-client-secret-of-some-length';

/**
 * Production sign-in: the console sends the browser to a real OpenID provider (oidc-provider, on
 * 127.0.0.1), which signs the person in at its own login page; the console exchanges the code
 * (authorization code with PKCE, openid-client) for their access token, and the services, which
 * trust only that provider here, answer the person's calls through the console.
 */
describe('the console signing in at the identity provider', () => {
  let provider: OidcProvider;
  let system: RunningSystem;
  let consoleApp: RunningConsole;
  let browser: Browser;

  beforeAll(async () => {
    const port = await freePort();
    const publicUrl = `http://127.0.0.1:${port}`;
    provider = await startOidcProvider([], 'conduct', {
      users: [{ login: 'ia-oidc', roles: ['IA_INVESTIGATOR'], jurisdiction: { province: 'sindh', range: 'karachi' } }],
      webClients: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: [`${publicUrl}/bff/oidc/callback`] }],
    });
    system = await startSystem({ env: { JWT_JWKS_URL: provider.jwksUri, JWT_ISSUER: provider.issuer } });
    consoleApp = await startConsole(system, {
      port,
      env: {
        CONSOLE_SIGN_IN: 'oidc',
        CONSOLE_OIDC_ISSUER: provider.issuer,
        CONSOLE_OIDC_CLIENT_ID: CLIENT_ID,
        CONSOLE_OIDC_CLIENT_SECRET: CLIENT_SECRET,
        CONSOLE_PUBLIC_URL: publicUrl,
        CONSOLE_OIDC_SCOPE: 'openid conduct',
        CONSOLE_OIDC_RESOURCE: 'urn:conduct:conduct',
        CONSOLE_OIDC_ALLOW_HTTP: 'true', // the test provider speaks plain HTTP on loopback; production refuses this
      },
    });
    browser = await chromium.launch({ executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await consoleApp?.stop();
    await system?.stop();
    await provider?.stop();
  }, 60_000);

  it('signs a person in with the authorization code flow and PKCE, and calls the services with their token', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(consoleApp.url);
    // No demo identities here: only the provider signs people in.
    expect((await fetch(`${consoleApp.url}/bff/identities`)).status).toBe(404);
    await page.getByRole('link', { name: 'Sign in with your police account' }).click();

    // The provider's own login page, then its consent page.
    await page.waitForURL((url) => url.href.startsWith(provider.issuer));
    expect(new URL(page.url()).searchParams.get('code_challenge_method') ?? 'S256').toBe('S256');
    await page.locator('input[name="login"]').fill('ia-oidc');
    await page.locator('input[name="password"]').fill('any password');
    await page.locator('button[type="submit"]').click();
    await page.locator('button[type="submit"]').click(); // consent

    await page.getByText('Signed in as ia-oidc').waitFor();
    // Through the console, with the provider's token: violation-service answered the inbox.
    // (The list holds whatever earlier tests reported on the shared topics, or nothing.)
    await page.getByRole('heading', { name: 'Case inbox' }).waitFor();
    await page.locator('table.cases').or(page.getByText('No cases match.')).waitFor();
    expect(await page.getByRole('alert').count()).toBe(0);
    // The session is an httpOnly, SameSite=Strict cookie: the page's scripts cannot read it.
    const session = (await page.context().cookies()).find((cookie) => cookie.name === 'conduct_session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict' });

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('link', { name: 'Sign in with your police account' }).waitFor();
  }, 120_000);
});

import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';
import { RunningSystem, startSystem } from '@conduct/service-testing';
import { eventually } from '@conduct/testing';
import { RunningConsole, startConsole } from './console-process';

/** Where each page's screenshot is kept (CI keeps the folder as an artifact). */
const SCREENSHOTS = process.env['CONSOLE_SCREENSHOT_DIR'] ?? join(__dirname, '..', '..', '..', '..', 'artifacts', 'console');
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  nodes: { html: string }[];
}

/**
 * The console in a real browser (Debian's Chromium, driven by Playwright) in front of the four
 * services: an investigator files and works a case, headquarters watches it arrive in the charts
 * and downloads the CSV, an officer sees their own case only. Every page is checked with axe-core
 * and captured as a screenshot.
 */
describe('the Conduct console in a browser', () => {
  let system: RunningSystem;
  let consoleApp: RunningConsole;
  let browser: Browser;
  const run = randomBytes(3).toString('hex');
  const clifton = { province: 'sindh', range: 'karachi', district: 'karachi-south', unitId: 'ps-clifton' };
  const investigatorToken = () => system.token({ subject: 'ia-api', roles: ['IA_INVESTIGATOR'], scope: { province: 'sindh' } });

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    system = await startSystem();
    consoleApp = await startConsole(system);
    browser = await chromium.launch({ executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await consoleApp?.stop();
    await system?.stop();
  }, 60_000);

  /** Each test's pages, and what their browser logged: a failing test leaves a screenshot and the log of each. */
  let pages: { page: Page; log: string[] }[] = [];
  beforeEach(() => {
    pages = [];
  });
  const inBrowser = (scenario: () => Promise<void>) => async () => {
    try {
      await scenario();
    } catch (error) {
      let diagnosis = '';
      for (const [index, { page, log }] of pages.entries()) {
        await page
          .screenshot({
            path: join(SCREENSHOTS, `failed-${expect.getState().currentTestName?.slice(0, 40).replace(/\W+/g, '-')}-${index}.png`),
            fullPage: true,
          })
          .catch(() => undefined);
        diagnosis += `\n--- page ${index} at ${page.url()} logged:\n${log.join('\n')}`;
      }
      diagnosis += `\n--- the console's process logged:\n${consoleApp.logs().slice(-4000)}`;
      // Jest prints the stack, which holds the message as it was when the error was made.
      if (error instanceof Error) error.stack = `${error.stack ?? error.message}${diagnosis}`;
      throw error;
    }
  };

  /** A fresh browser (its own cookies), signed in as the demo identity whose button matches. */
  const signedIn = async (identity: RegExp): Promise<Page> => {
    // bypassCSP lets the test inject axe-core; the console's own pages run under its CSP.
    const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    const page = await context.newPage();
    const log: string[] = [];
    page.on('console', (message) => log.push(`${message.type()}: ${message.text()}`));
    page.on('pageerror', (error) => log.push(`page error: ${error.message}`));
    page.on('response', (response) => {
      if (response.status() >= 400) log.push(`${response.status()} ${response.request().method()} ${response.url()}`);
    });
    pages.push({ page, log });
    await page.goto(consoleApp.url);
    await page.getByRole('button', { name: identity }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    return page;
  };

  /** No serious or critical accessibility violation, and a screenshot of the page as it is. */
  const checkPage = async (page: Page, name: string) => {
    await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
    await page.addScriptTag({ content: AXE_SOURCE });
    const violations = await page.evaluate(async () => {
      const result = await (globalThis as unknown as { axe: { run(): Promise<{ violations: AxeViolation[] }> } }).axe.run();
      return result.violations.map(({ id, impact, nodes }) => ({ id, impact, nodes: nodes.slice(0, 2).map((node) => ({ html: node.html })) }));
    });
    expect({ page: name, serious: violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical') }).toEqual({
      page: name,
      serious: [],
    });
  };

  const reportByApi = async (serviceNumber: string): Promise<string> => {
    const response = await eventually(
      async () => {
        const attempt = await fetch(`${system.url('violation-service')}/cases`, {
          method: 'POST',
          headers: { authorization: `Bearer ${investigatorToken()}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            officer: { serviceNumber, name: `Officer ${serviceNumber}`, rank: 'Constable', unitId: clifton.unitId },
            jurisdiction: clifton,
            platform: 'tiktok',
            contentUrl: `https://www.tiktok.com/@${serviceNumber}/video/1`,
            conduct: { kinds: ['video'], features: ['uniform'], usedOfficialAccount: false, platformPermitted: false },
            evidence: {
              sha256: createHash('sha256').update(serviceNumber).digest('hex'),
              capturedAt: new Date().toISOString(),
              archiveLocation: 's3://evidence/x',
            },
            clauses: ['SND-1'],
            observedAt: new Date(Date.now() - 86_400_000).toISOString(),
            becameKnownAt: new Date().toISOString(),
            onDuty: true,
            description: 'Video in uniform',
          }),
        });
        // violation-service learns the seeded units from approval-service's topic a moment after start.
        return attempt.status === 201 ? attempt : undefined;
      },
      { timeoutMs: 30_000, what: 'a case reported through the API' },
    );
    return ((await response.json()) as { caseId: string }).caseId;
  };

  it(
    'lets an investigator file a case, assign themselves and serve the takedown notice',
    inBrowser(async () => {
      const signInPage = await (await browser.newContext({ bypassCSP: true })).newPage();
      await signInPage.goto(consoleApp.url);
      await signInPage.getByRole('button', { name: /Inspector Rashid/ }).waitFor();
      await checkPage(signInPage, '00-sign-in');

      const page = await signedIn(/Inspector Rashid/);
      await page.getByRole('heading', { name: 'Case inbox' }).waitFor();
      await checkPage(page, '01-case-inbox');

      await page.getByRole('link', { name: 'Report a violation' }).click();
      await page.getByRole('heading', { name: 'Report a violation' }).waitFor();
      // Sent empty first: each refusal shows next to its field.
      await page.getByRole('button', { name: 'Report the case' }).click();
      await page.locator('#officer\\.serviceNumber-error').waitFor();
      expect(await page.getByLabel('Service number').getAttribute('aria-invalid')).toBe('true');

      const serviceNumber = `KHI-${run}`;
      await page.getByLabel('Service number').fill(serviceNumber);
      await page.getByLabel('Name', { exact: true }).fill('Asad Khan');
      await page.getByLabel('Rank').fill('Constable');
      await eventually(async () => (await page.getByLabel('Unit').locator('option[value="ps-clifton"]').count()) > 0, {
        what: 'the units in the form',
      });
      await page.getByLabel('Unit').selectOption('ps-clifton');
      await page.getByLabel('Address of the content').fill(`https://www.tiktok.com/@${serviceNumber}/video/7`);
      await page.getByRole('checkbox', { name: 'uniform', exact: true }).check();
      await page.getByLabel('Posted on duty').check();
      // The clauses come from the pack in force in the unit's province (Sindh) on the day.
      await page.getByRole('checkbox', { name: /^SND-1 / }).check();
      const evidence = join(tmpdir(), `evidence-${run}.mp4`);
      writeFileSync(evidence, `captured video ${run}`);
      await page.getByLabel('Evidence file').setInputFiles(evidence);
      const sha256 = createHash('sha256').update(`captured video ${run}`).digest('hex');
      await page.getByTestId('evidence-sha256').filter({ hasText: sha256 }).waitFor();
      await page.getByLabel('Where the evidence is archived').fill(`s3://evidence/${run}`);
      await page.getByLabel('Description').fill('Video filmed in uniform at the Clifton police station');
      await checkPage(page, '02-report-violation');
      await page.getByRole('button', { name: 'Report the case' }).click();

      await page.waitForURL(/\/cases\/[0-9a-f-]{36}$/);
      const caseId = page.url().split('/').pop()!;
      await page.getByRole('button', { name: 'Assign to me' }).click();
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByTestId('case-investigator').filter({ hasText: 'ia-rashid' }).waitFor();
      await page.getByRole('button', { name: 'Serve takedown notice' }).click();
      await page.getByRole('button', { name: 'Save' }).click();
      // Sindh's pack gives seven days (SND-6).
      await page.getByText(/6 d 23 h \d+ min left/).waitFor();
      await page.getByTestId('verification').filter({ hasText: 'Chain intact (3 events)' }).waitFor({ timeout: 20_000 });
      expect(await page.getByRole('button', { name: 'Serve takedown notice' }).count()).toBe(0);
      await checkPage(page, '03-case-page');

      // What the browser sent is what the service recorded: the hash computed there, the investigator, the notice.
      const recorded = (await (
        await fetch(`${system.url('violation-service')}/cases/${caseId}`, { headers: { authorization: `Bearer ${investigatorToken()}` } })
      ).json()) as {
        file: {
          investigatorId: string;
          evidence: { sha256: string }[];
          takedown: { status: string };
          report: { officer: { serviceNumber: string } };
        };
      };
      expect(recorded.file).toMatchObject({
        investigatorId: 'ia-rashid',
        evidence: [{ sha256 }],
        takedown: { status: 'pending' },
        report: { officer: { serviceNumber } },
      });
    }),
    120_000,
  );

  it(
    'shows headquarters a new case in the chart without a reload, by the basis chosen, and downloads the CSV',
    inBrowser(async () => {
      const page = await signedIn(/Headquarters analyst, national/);
      await page.getByRole('link', { name: 'Headquarters' }).click();
      const chart = page.getByTestId('chart-cases-by-month');
      await chart.waitFor();
      const total = async () => Number(await chart.getAttribute('data-total'));
      const before = await total();

      await reportByApi(`HQ-${run}`);
      // Sooner than the dashboard's own re-reading (every 60 s): reporting-service's GET /live told it.
      await eventually(async () => ((await total()) > before ? true : undefined), { timeoutMs: 20_000, what: 'the new case in the chart' });
      await checkPage(page, '04-dashboard');

      // Drill down to Sindh: the place shows in the breadcrumbs, and the compliance chart compares Sindh's ranges.
      await page.getByTestId('drill').selectOption('sindh');
      await page.getByRole('navigation', { name: 'Place' }).getByRole('button', { name: 'sindh' }).waitFor();
      await page.getByText('Takedown compliance by Range').waitFor();
      await page.getByTestId('basis').selectOption('observed');
      const csvLink = page.getByTestId('csv-cases');
      await eventually(async () => ((await csvLink.getAttribute('href'))?.includes('basis=observed') ? true : undefined), {
        what: 'the basis in the CSV link',
      });
      const [download] = await Promise.all([page.waitForEvent('download'), csvLink.click()]);
      const csv = readFileSync(await download.path(), 'utf8');
      expect(new URL((await csvLink.getAttribute('href'))!, consoleApp.url).searchParams.get('province')).toBe('sindh');
      expect(csv).toMatch(/basis/);
      expect(csv).toMatch(/opened/);
      expect(download.suggestedFilename()).toMatch(/\.csv$/);

      // Urdu, right to left.
      await page.getByRole('button', { name: 'اردو' }).click();
      expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
      await checkPage(page, '05-dashboard-urdu');
    }),
    120_000,
  );

  it(
    'lets an SSP grant a pre-approval that the media team then publishes, a wrong file refused with its clause',
    inBrowser(async () => {
      const media = system.token({ subject: 'media-api', roles: ['MEDIA_TEAM'], scope: { province: 'sindh', district: 'karachi-south' } });
      const officer = system.token({ subject: `officer-${run}`, roles: ['OFFICER'], scope: clifton, serviceNumber: `KHI-A-${run}` });
      const post = async (path: string, token: string, body: object) => {
        const response = await fetch(`${system.url('approval-service')}${path}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        expect(response.status).toBe(201);
        return (await response.json()) as Record<string, string>;
      };
      const handle = `sspsouth${run}`;
      const { accountId } = await post('/official-accounts', media, {
        platform: 'facebook',
        handle,
        kind: 'institutional',
        operatedBy: 'SSP',
        jurisdiction: { province: 'sindh', range: 'karachi', district: 'karachi-south', unitId: 'ssp-office-south' },
        mediaTeam: { name: 'SSP South media cell', unitId: 'media-south' },
      });
      const video = `road safety video ${run}`;
      const title = `Road safety week ${run}`;
      await post('/approvals', officer, {
        jurisdiction: clifton,
        platform: 'facebook',
        officialAccountId: accountId,
        title,
        description: 'Traffic police explain helmet rules',
        mediaSha256: createHash('sha256').update(video).digest('hex'),
        features: ['uniform', 'vehicle'],
        intendedPublicationAt: new Date(Date.now() + 86_400_000).toISOString(),
      });

      const ssp = await signedIn(/SSP Karachi South, approver/);
      await ssp.getByRole('link', { name: 'Approvals' }).click();
      await ssp.getByRole('link', { name: title }).waitFor();
      await checkPage(ssp, '07-approvals-inbox');
      await ssp.getByRole('link', { name: title }).click();
      await ssp.getByTestId('approval-status').filter({ hasText: 'pending' }).waitFor();
      await ssp.getByRole('button', { name: 'Grant' }).click();
      await ssp.getByLabel('Conditions (one per line)').fill('Blur the faces of bystanders');
      await ssp.getByLabel('Valid until (Pakistan time)').fill('2030-02-01T00:00');
      await checkPage(ssp, '08-approval-grant');
      await ssp.getByRole('button', { name: 'Save' }).click();
      await ssp.getByTestId('approval-status').filter({ hasText: 'granted' }).waitFor();
      expect(await ssp.getByRole('button', { name: 'Grant' }).count()).toBe(0);

      const team = await signedIn(/Media cell of SSP Karachi South/);
      await team.getByRole('link', { name: 'Official accounts' }).click();
      await team.getByTestId(`account-${handle}`).waitFor();
      await checkPage(team, '09-official-accounts');
      await team.getByRole('link', { name: 'Approvals' }).click();
      await team.getByRole('link', { name: title }).click();
      const publish = async (content: string) => {
        await team.getByRole('button', { name: 'Record publication' }).click();
        await team.getByLabel('Address of the publication').fill(`https://facebook.com/${handle}/videos/1`);
        const file = join(tmpdir(), `media-${run}-${content.length}.mp4`);
        writeFileSync(file, content);
        await team.getByLabel('Published media file').setInputFiles(file);
        await team
          .getByTestId('media-sha256')
          .filter({ hasText: createHash('sha256').update(content).digest('hex') })
          .waitFor();
        await team.getByRole('button', { name: 'Save' }).click();
      };
      // Other media than approved: refused, and the attempt is kept with the clause that refused it.
      await publish('some other video');
      await team.getByTestId('refused-attempts').filter({ hasText: 'SND-1' }).waitFor();
      await team.getByRole('button', { name: 'Cancel' }).click();
      await publish(video);
      await team.getByTestId('approval-status').filter({ hasText: 'published' }).waitFor();
      await checkPage(team, '10-approval-published');

      // The account is suspended from the console: nothing more goes out through it until reinstated.
      await team.getByRole('link', { name: 'Official accounts' }).click();
      const row = team.getByTestId(`account-${handle}`);
      await row.getByRole('button', { name: 'Suspend' }).click();
      await row.getByLabel('Reason').fill('Password shared outside the media cell');
      await row.getByRole('button', { name: 'Suspend' }).click();
      await row.getByText('suspended — Password shared outside the media cell').waitFor();
      await row.getByRole('button', { name: 'Reinstate' }).waitFor();
    }),
    120_000,
  );

  it(
    'shows an officer their own case only, without actions',
    inBrowser(async () => {
      const own = await reportByApi('KHI-40172');
      const other = await reportByApi(`OTHER-${run}`);
      const page = await signedIn(/Constable Imran Ali/);
      // The officer's list: the cases about them, and no other.
      await page.getByRole('heading', { name: 'Cases about me' }).waitFor();
      const ownLink = page.locator(`a[href="/cases/${own}"]`);
      await ownLink.waitFor();
      expect(await page.locator(`a[href="/cases/${other}"]`).count()).toBe(0);
      await checkPage(page, '11-officer-cases');
      await ownLink.click();
      await page.getByTestId('case-status').waitFor();
      expect(await page.getByText('KHI-40172').count()).toBeGreaterThan(0);
      expect(await page.getByRole('heading', { name: 'Actions' }).count()).toBe(0);
      await checkPage(page, '12-officer-own-case');

      await page.goto(`${consoleApp.url}/cases/${other}`);
      await page.getByRole('alert').waitFor();
      expect(await page.getByTestId('case-status').count()).toBe(0);
    }),
    120_000,
  );
});

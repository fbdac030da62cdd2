import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { RunningSystem, SERVICES, startSystem } from '@conduct/service-testing';
import { eventually, SmtpCatcher } from '@conduct/testing';

const run = promisify(execFile);
const repoRoot = join(__dirname, '..', '..', '..');
const README_PORTS = { 'approval-service': 3001, 'violation-service': 3002, 'notification-service': 3003, 'reporting-service': 3004 } as const;

/** The first ```bash block of each README section, in README order. */
function readmeBlock(section: string): string {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const start = readme.indexOf(`\n## ${section}\n`);
  if (start < 0) throw new Error(`README.md has no section "## ${section}"`);
  const body = readme.slice(start + 1).split(/\n## /)[0]!;
  const block = /```bash\n([\s\S]*?)```/.exec(body)?.[1];
  if (!block) throw new Error(`README.md section "${section}" has no bash block`);
  return block;
}

/** Variables a block assigns (`NAME=`, at the start of a line): what later blocks may use. */
const assignedIn = (block: string): string[] => [...block.matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((match) => match[1]!);

/**
 * The README's walkthroughs, pasted into a shell as a reader would: the same `npm run -s token`,
 * curl and jq lines, only the ports swapped for this run's services. The shell's variables carry
 * from one block to the next (a reader's terminal). Each block's output is then checked: no step
 * answered a problem, and the states the README promises are there. The webhooks block is left
 * out: its example target, dashboard.example.org, is a name this machine may not resolve.
 */
describe('the README walkthroughs, run as written', () => {
  let system: RunningSystem;
  let mail: SmtpCatcher;
  let workDir: string;

  beforeAll(async () => {
    // As `npm start` runs it: the seeded recipient directory and a mail catcher.
    mail = await SmtpCatcher.start();
    system = await startSystem({ env: { SMTP_URL: mail.url, RECIPIENTS_SEED_FILE: 'config/recipients.seed.json', DISPATCH_INTERVAL_MS: '100' } });
    // Inside the repository (npm finds package.json above it) but away from its files: the HQ block writes a CSV.
    mkdirSync(join(repoRoot, '.cache'), { recursive: true });
    workDir = mkdtempSync(join(repoRoot, '.cache', 'readme-walkthrough-'));
  }, 300_000);
  afterAll(async () => {
    await system?.stop();
    await mail?.close();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  }, 60_000);

  const shell = { state: '' };
  /** Runs a README block in bash with the variables of the blocks before; its stdout. */
  const paste = async (section: string): Promise<string> => {
    let block = readmeBlock(section);
    for (const service of SERVICES) block = block.replaceAll(`http://127.0.0.1:${README_PORTS[service]}`, system.url(service));
    const keep = assignedIn(block);
    const script = [shell.state, block, keep.length ? `declare -p ${keep.join(' ')} > "$WALKTHROUGH_STATE"` : ''].join('\n');
    const stateFile = join(workDir, 'state.sh');
    const { stdout } = await run('bash', ['-c', script], {
      cwd: workDir,
      env: { ...process.env, WALKTHROUGH_STATE: stateFile },
      timeout: 120_000,
      maxBuffer: 16 << 20,
    });
    if (keep.length) shell.state = `${shell.state}\n${readFileSync(stateFile, 'utf8')}`;
    // A refused step prints a problem document; none may appear (the output says which step).
    if (/"status":\s*[45]\d\d\b/.test(stdout)) throw new Error(`a step of "${section}" answered a problem:\n${stdout}`);
    return stdout;
  };
  const variable = (name: string): string => new RegExp(`declare -\\S* ${name}="([^"]*)"`).exec(shell.state)?.[1] ?? '';

  it('pre-approval: registers the account, requests, grants and records the publication', async () => {
    const output = await paste('Pre-approval, step by step');
    expect(variable('ACCOUNT')).toMatch(/^[0-9a-f-]{36}$/);
    expect(variable('APPROVAL')).toMatch(/^[0-9a-f-]{36}$/);
    expect(output).toContain('"Road safety week"'); // the SSP's inbox lists the request
    expect(output).toMatch(/"status":\s*"granted"/); // the grant's answer
    expect(output).toContain('"ContentPublished"'); // the history the officer reads
    expect(output).toMatch(/"status":\s*"published"/);
  }, 180_000);

  it('the hierarchy: lists the seeded units, registers one and moves it, with the move on record', async () => {
    const output = await paste('The hierarchy');
    expect(output).toContain('["ps-clifton","karachi-south"]'); // the seed
    expect(output).toMatch(/"district":\s*"karachi-keamari"/);
    expect(output).toMatch(/"type":\s*"UnitMoved",\s*"actor":\s*"admin-hq"/);
  }, 120_000);

  it('a case: reported, noticed, found, sanctioned, appealed by the officer concerned, decided and closed, its chain intact', async () => {
    const output = await paste('Investigating a case, step by step');
    expect(variable('CASE')).toMatch(/^[0-9a-f-]{36}$/);
    expect(variable('APPEAL')).toMatch(/^[0-9a-f-]{36}$/); // the officer (known by service number) filed the appeal
    expect(output).toContain('"closed"');
    expect(output).toMatch(/\{\s*"version":\s*1,\s*"status":\s*"open"\s*\}/); // the case as it was just after the report (asOf)
    expect(output).toMatch(/"type":\s*"AppealFiled",\s*"actor":\s*\{\s*"id":\s*"imran.ali",\s*"role":\s*"OFFICER"/);
    expect(output).toMatch(/"intact":\s*true/);
    // Step 6 recomputed every hash from the trail alone and ended at the stream's head.
    const head = /chain intact, head ([0-9a-f]{64})/.exec(output)?.[1];
    const ia = system.token({ subject: 'readme-check', roles: ['IA_INVESTIGATOR'], scope: { province: 'sindh' } });
    const trail = (await (
      await fetch(`${system.url('violation-service')}/cases/${variable('CASE')}/events`, { headers: { authorization: `Bearer ${ia}` } })
    ).json()) as { events: { hash: string }[] };
    expect(head).toBe(trail.events.at(-1)!.hash);
  }, 180_000);

  it("notices: the directory entry is added and the case's notices are in the audit log", async () => {
    const hq = system.token({ subject: 'readme-check', roles: ['IA_INVESTIGATOR'], scope: { province: 'sindh' } });
    // The notices follow the case's events through Kafka: a reader pasting the next block a moment later sees them.
    await eventually(
      async () => {
        const response = await fetch(`${system.url('notification-service')}/notifications?caseId=${variable('CASE')}`, {
          headers: { authorization: `Bearer ${hq}` },
        });
        const { items } = (await response.json()) as { items: { kind: string; status: string }[] };
        return items.some((notice) => notice.kind === 'appeal-decided' && notice.status === 'sent');
      },
      { timeoutMs: 60_000, what: "the case's notices sent" },
    );
    const output = await paste('Notices by e-mail');
    expect(output).toContain('"email": "ssp.south@sindhpolice.local"'); // the entry just added, listed
    // The takedown notice went to the officer concerned, at the seeded address.
    expect(output).toMatch(/"kind":\s*"takedown-notice",\s*"recipient":\s*"[^"]+@[^"]+",\s*"status":\s*"sent"/);
    expect(output).not.toContain('"unresolved"');
  }, 120_000);

  it('headquarters reports: every report answers, the CSV is written and the timeline verifies', async () => {
    const hq = system.token({ subject: 'readme-check', roles: ['HQ_ANALYST'], scope: { province: 'sindh' } });
    await eventually(
      async () => {
        const response = await fetch(`${system.url('reporting-service')}/cases/${variable('CASE')}/timeline`, {
          headers: { authorization: `Bearer ${hq}` },
        });
        return response.ok && JSON.stringify(await response.json()).includes('CaseClosed');
      },
      { timeoutMs: 60_000, what: 'the closed case in reporting-service' },
    );
    const output = await paste('Headquarters reports');
    expect(readFileSync(join(workDir, 'takedowns.csv'), 'utf8')).toMatch(/^# positions:/m);
    expect(output).toContain('"CaseClosed"');
    expect(output).toMatch(/"intact"/);
  }, 120_000);
});

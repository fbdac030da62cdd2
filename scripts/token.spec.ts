import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { LOCAL_ISSUER, TOKEN_AUDIENCE, TokenVerifier } from '@conduct/auth';

// A cache directory of this test's own: the script makes the local key pair in it.
const cacheDir = mkdtempSync(join(tmpdir(), 'conduct-token-'));
afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));
const verifier = () =>
  new TokenVerifier({
    publicKeyPem: readFileSync(join(cacheDir, 'keys', 'local-issuer.public.pem'), 'utf8'),
    issuer: LOCAL_ISSUER,
    audience: TOKEN_AUDIENCE,
    maxTokenAgeSeconds: 86_400,
    clockToleranceSeconds: 0,
  });

// Runs the script as `npm run -s token` does, and checks what lands on stdout, stderr and the exit code.
const run = async (args: string[], env: NodeJS.ProcessEnv = {}) => {
  const root = join(__dirname, '..');
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['-r', '@swc-node/register', 'scripts/token.ts', ...args], {
      cwd: root,
      env: { ...process.env, CONDUCT_CACHE_DIR: cacheDir, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
};

describe('scripts/token.ts', () => {
  jest.setTimeout(30_000);

  it('prints only a token, signed with the local development key it made, carrying roles, scope and subject', async () => {
    const { code, stdout, stderr } = await run([
      '--role',
      'APPROVER',
      '--role',
      'MEDIA_TEAM',
      '--province',
      'Punjab',
      '--range',
      'Lahore',
      '--sub',
      'dig-lahore',
    ]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    expect(await verifier().verify(stdout.trim())).toEqual({
      subject: 'dig-lahore',
      roles: ['APPROVER', 'MEDIA_TEAM'],
      scope: { province: 'Punjab', range: 'Lahore' },
    });
  });

  it('signs with the same key on the next run, national scope by default, for the lifetime asked', async () => {
    const { stdout } = await run(['--role', 'HQ_ANALYST', '--ttl', '15m']);
    expect(await verifier().verify(stdout.trim())).toEqual({ subject: 'local-hq-analyst', roles: ['HQ_ANALYST'], scope: {} });
    const payload = JSON.parse(Buffer.from(stdout.split('.')[1]!, 'base64url').toString()) as { iat: number; exp: number; iss: string };
    expect({ lifetime: payload.exp - payload.iat, iss: payload.iss }).toEqual({ lifetime: 900, iss: LOCAL_ISSUER });
  });

  it("carries a person's service number in service_number when asked", async () => {
    const { stdout } = await run(['--role', 'OFFICER', '--unit', 'ps-clifton', '--sub', 'imran.ali', '--service-number', 'KHI-40172']);
    expect(await verifier().verify(stdout.trim())).toEqual({
      subject: 'imran.ali',
      serviceNumber: 'KHI-40172',
      roles: ['OFFICER'],
      scope: { unit: 'ps-clifton' },
    });
  });

  it.concurrent.each([
    [['--role', 'OFFICER', '--service-number', ''], /--service-number must not be empty/],
    [['--role', 'SUPERUSER'], /unknown role SUPERUSER/],
    [['--province', 'Punjab'], /at least one --role is required/],
  ])('refuses %p on stderr with exit code 2 and nothing on stdout', async (args, message) => {
    const { code, stdout, stderr } = await run(args);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
  });
});

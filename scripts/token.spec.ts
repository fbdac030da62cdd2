import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { verifyToken } from '@conduct/auth';

// Runs the script as `npm run -s token` does, and checks what lands on stdout, stderr and the exit code.
const run = async (args: string[], env: NodeJS.ProcessEnv = {}) => {
  const root = join(__dirname, '..');
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['-r', '@swc-node/register', 'scripts/token.ts', ...args], {
      cwd: root,
      env: { ...process.env, JWT_SECRET: '', ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
};

describe('scripts/token.ts', () => {
  jest.setTimeout(30_000);

  it.concurrent('prints only a token, signed with the local default secret, carrying roles, scope and subject', async () => {
    const { code, stdout, stderr } = await run(['--role', 'APPROVER', '--role', 'MEDIA_TEAM', '--province', 'Punjab', '--range', 'Lahore', '--sub', 'dig-lahore']);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    expect(verifyToken(stdout.trim(), 'conduct-local-dev-secret')).toEqual({
      subject: 'dig-lahore',
      roles: ['APPROVER', 'MEDIA_TEAM'],
      scope: { province: 'Punjab', range: 'Lahore' },
    });
  });

  it.concurrent('signs with JWT_SECRET when set, national scope by default', async () => {
    const { stdout } = await run(['--role', 'HQ_ANALYST', '--ttl', '15m'], { JWT_SECRET: 'another-secret-for-this-test' });
    expect(verifyToken(stdout.trim(), 'another-secret-for-this-test')).toEqual({ subject: 'local-hq-analyst', roles: ['HQ_ANALYST'], scope: {} });
  });

  it.concurrent.each([
    [['--role', 'SUPERUSER'], /unknown role SUPERUSER/],
    [['--province', 'Punjab'], /at least one --role is required/],
  ])('refuses %p on stderr with exit code 2 and nothing on stdout', async (args, message) => {
    const { code, stdout, stderr } = await run(args);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
  });
});

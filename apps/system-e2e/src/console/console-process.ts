import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { RunningSystem } from '@conduct/service-testing';
import { eventually, freePort } from '@conduct/testing';

export interface RunningConsole {
  url: string;
  logs(): string;
  stop(): Promise<void>;
}

const repoRoot = join(__dirname, '..', '..', '..', '..');

/** The console as `npm start` runs it (compiled, from dist/), in front of a test system's services. */
export async function startConsole(system: RunningSystem, options: { port?: number; env?: Record<string, string> } = {}): Promise<RunningConsole> {
  const main = join(repoRoot, 'dist', 'apps', 'console', 'src', 'main.js');
  if (!existsSync(main)) throw new Error(`${main} is missing: run \`npm run build\` first`);
  const port = options.port ?? (await freePort());
  const output: string[] = [];
  const child: ChildProcess = spawn(process.execPath, ['--enable-source-maps', main], {
    cwd: repoRoot,
    env: {
      ...process.env,
      PORT: String(port),
      APPROVAL_SERVICE_URL: system.url('approval-service'),
      VIOLATION_SERVICE_URL: system.url('violation-service'),
      NOTIFICATION_SERVICE_URL: system.url('notification-service'),
      REPORTING_SERVICE_URL: system.url('reporting-service'),
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (chunk: Buffer) => output.push(chunk.toString());
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const url = `http://127.0.0.1:${port}`;
  await eventually(async () => ((await fetch(`${url}/bff/session`).catch(() => undefined))?.ok ? true : undefined), {
    timeoutMs: 15_000,
    what: `the console on ${url} (${output.join('')})`,
  });
  return {
    url,
    logs: () => output.join(''),
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

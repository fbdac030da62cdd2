import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './tcp-proxy';

/*
 * Infrastructure a fault test owns: its own PostgreSQL cluster and its own Kafka broker, on ports of
 * their own, under .cache/faults/. A fault test sends signals only to these processes, never to the
 * PostgreSQL and Kafka that the other tests and `npm start` share.
 */

const run = promisify(execFile);
const repoRoot = join(__dirname, '..', '..', '..', '..');
const faultsDir = join(repoRoot, '.cache', 'faults');

export type ProcessSignal = 'SIGKILL' | 'SIGTERM' | 'SIGSTOP' | 'SIGCONT';

/** The binaries of the newest PostgreSQL installed the Debian way (/usr/lib/postgresql/<major>/bin). */
function postgresBin(): string {
  const root = '/usr/lib/postgresql';
  const majors = existsSync(root) ? readdirSync(root).filter((name) => /^\d+$/.test(name)).sort((a, b) => Number(a) - Number(b)) : [];
  const major = majors.at(-1);
  if (!major) throw new Error('PostgreSQL server binaries not found under /usr/lib/postgresql (npm run infra:up installs them)');
  return join(root, major, 'bin');
}

/** Runs a PostgreSQL tool as the postgres user when we are root (initdb and postgres refuse root). */
async function asPostgres(tool: string, args: string[]): Promise<string> {
  const command = join(postgresBin(), tool);
  const asRoot = process.getuid?.() === 0;
  const { stdout } = asRoot ? await run('runuser', ['-u', 'postgres', '--', command, ...args]) : await run(command, args);
  return stdout;
}

/** A PostgreSQL cluster of a fault test's own: initdb into .cache/faults/, trust on 127.0.0.1. */
export class OwnPostgres {
  private constructor(
    readonly port: number,
    private readonly dataDir: string,
  ) {}

  /** Server-level URL, like CONDUCT_POSTGRES_URL. */
  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}`;
  }

  static async start(): Promise<OwnPostgres> {
    const dataDir = join(faultsDir, `pg-${randomBytes(4).toString('hex')}`);
    mkdirSync(dataDir, { recursive: true });
    if (process.getuid?.() === 0) await run('chown', ['-R', 'postgres', dataDir]);
    await asPostgres('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8']);
    const postgres = new OwnPostgres(await freePort(), dataDir);
    await postgres.startServer();
    return postgres;
  }

  private options(): string {
    // Small and fast: a test cluster, fsync off, enough connections for two replicas of four services.
    return `-p ${this.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${this.dataDir} -c fsync=off -c max_connections=300 -c shared_buffers=64MB`;
  }

  private async startServer(): Promise<void> {
    await asPostgres('pg_ctl', ['-D', this.dataDir, '-o', this.options(), '-l', join(this.dataDir, 'server.log'), '-w', 'start']);
  }

  /** Crash and recovery at once: `pg_ctl restart -m immediate` (every connection dropped, no checkpoint). */
  async restartImmediately(): Promise<void> {
    await asPostgres('pg_ctl', ['-D', this.dataDir, '-o', this.options(), '-l', join(this.dataDir, 'server.log'), '-m', 'immediate', '-w', 'restart']);
  }

  async stop(): Promise<void> {
    await asPostgres('pg_ctl', ['-D', this.dataDir, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
  }

  /** Stops the cluster and deletes its files. */
  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/** A Kafka broker of a fault test's own (scripts/infra/kafka.sh with a state directory and ports of its own). */
export class OwnKafka {
  private constructor(
    readonly port: number,
    private readonly controllerPort: number,
    private readonly stateDir: string,
  ) {}

  get brokers(): string[] {
    return [`127.0.0.1:${this.port}`];
  }

  /** Starts a fresh single-node broker with every Conduct topic (about 5-10 s: a JVM). */
  static async start(): Promise<OwnKafka> {
    const stateDir = join(faultsDir, `kafka-${randomBytes(4).toString('hex')}`);
    mkdirSync(stateDir, { recursive: true });
    const kafka = new OwnKafka(await freePort(), await freePort(), stateDir);
    await kafka.script('start');
    return kafka;
  }

  private script(command: 'start' | 'stop'): Promise<unknown> {
    const env: NodeJS.ProcessEnv = { ...process.env, KAFKA_STATE_DIR: this.stateDir, KAFKA_PORT: String(this.port), KAFKA_CONTROLLER_PORT: String(this.controllerPort) };
    delete env['KAFKA_BROKERS']; // else kafka.sh would use that cluster and start nothing
    return run('bash', [join(repoRoot, 'scripts', 'infra', 'kafka.sh'), command], { env, cwd: repoRoot, maxBuffer: 16 * 1024 * 1024 });
  }

  get pid(): number | undefined {
    const pidFile = join(this.stateDir, 'kafka.pid');
    return existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').trim()) : undefined;
  }

  /** kill -9, SIGTERM, SIGSTOP (frozen: connections stay open, nothing answers) or SIGCONT. */
  signal(signal: ProcessSignal): void {
    const pid = this.pid;
    if (!pid) throw new Error('the broker is not running');
    process.kill(pid, signal);
  }

  /** Starts the broker again on the same data (after stop() or a kill). */
  async restart(): Promise<void> {
    await this.script('start');
  }

  async stop(): Promise<void> {
    await this.script('stop');
  }

  async destroy(): Promise<void> {
    const pid = this.pid;
    if (pid) {
      try {
        process.kill(pid, 'SIGCONT');
      } catch {
        // already gone
      }
    }
    await this.stop().catch(() => undefined);
    rmSync(this.stateDir, { recursive: true, force: true });
  }
}

import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { freePort, freePortRange } from './tcp-proxy';

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
  const majors = existsSync(root)
    ? readdirSync(root)
        .filter((name) => /^\d+$/.test(name))
        .sort((a, b) => Number(a) - Number(b))
    : [];
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
    await asPostgres('pg_ctl', [
      '-D',
      this.dataDir,
      '-o',
      this.options(),
      '-l',
      join(this.dataDir, 'server.log'),
      '-m',
      'immediate',
      '-w',
      'restart',
    ]);
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

/**
 * Kafka of a fault test's own: one broker, or a three-node cluster (replication factor 3,
 * min.insync.replicas 2), run by scripts/infra/kafka.sh with a state directory and ports of its own.
 */
export class OwnKafka {
  private constructor(
    readonly port: number,
    private readonly controllerPort: number,
    private readonly stateDir: string,
    readonly nodes: number,
    private readonly scramUsers: Readonly<Record<string, string>> = {},
  ) {}

  /** Every node's address, node 1 first. */
  get brokers(): string[] {
    return Array.from({ length: this.nodes }, (_, i) => `127.0.0.1:${this.port + 2 * i}`);
  }

  /**
   * Starts a fresh broker (or `nodes` of them) with every Conduct topic (5-10 s per JVM). With
   * `scramUsers` (user -> password, the first one the brokers' own super user) clients must log in
   * with SASL/SCRAM-SHA-512 and may do only what ACLs grant.
   */
  static async start(options: { nodes?: number; scramUsers?: Record<string, string> } = {}): Promise<OwnKafka> {
    const nodes = options.nodes ?? 1;
    const stateDir = join(faultsDir, `kafka-${randomBytes(4).toString('hex')}`);
    mkdirSync(stateDir, { recursive: true });
    // kafka.sh numbers node i's ports from the bases: broker base + 2(i-1), controller one above.
    const base = await freePortRange(2 * nodes);
    const kafka = new OwnKafka(base, base + 1, stateDir, nodes, options.scramUsers);
    await kafka.script('start');
    return kafka;
  }

  private script(command: 'start' | 'stop'): Promise<unknown> {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      KAFKA_STATE_DIR: this.stateDir,
      KAFKA_PORT: String(this.port),
      KAFKA_CONTROLLER_PORT: String(this.controllerPort),
      KAFKA_NODES: String(this.nodes),
      KAFKA_SCRAM_USERS: Object.entries(this.scramUsers)
        .map(([user, password]) => `${user}:${password}`)
        .join(','),
    };
    delete env['KAFKA_BROKERS']; // else kafka.sh would use that cluster and start nothing
    return run('bash', [join(repoRoot, 'scripts', 'infra', 'kafka.sh'), command], { env, cwd: repoRoot, maxBuffer: 16 * 1024 * 1024 });
  }

  /** The process id of node `node` (1-based), while kafka.sh knows it as running. */
  pid(node = 1): number | undefined {
    const pidFile = join(this.nodes === 1 ? this.stateDir : join(this.stateDir, `node-${node}`), 'kafka.pid');
    return existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').trim()) : undefined;
  }

  /** kill -9, SIGTERM, SIGSTOP (frozen: connections stay open, nothing answers) or SIGCONT to one node. */
  signal(signal: ProcessSignal, node = 1): void {
    const pid = this.pid(node);
    if (!pid) throw new Error(`Kafka node ${node} is not running`);
    process.kill(pid, signal);
  }

  /** Resolves once node `node`'s process has gone (after a kill or SIGTERM). */
  async exited(node = 1): Promise<void> {
    const pid = this.pid(node);
    while (pid && alive(pid)) await new Promise((resolve) => setTimeout(resolve, 100));
  }

  /** The node (1-based) leading a partition: the broker whose loss moves the most. */
  async leaderOf(topic: string, partition = 0): Promise<number> {
    const admin = new Kafka({ clientId: 'own-kafka', brokers: this.brokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      const [metadata] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics;
      const leader = metadata?.partitions.find((candidate) => candidate.partitionId === partition)?.leader;
      if (leader === undefined) throw new Error(`no leader for ${topic}[${partition}]`);
      return leader;
    } finally {
      await admin.disconnect();
    }
  }

  /** Starts every node that is not running again, on the same data (after stop() or a kill). */
  async restart(): Promise<void> {
    await this.script('start');
  }

  async stop(): Promise<void> {
    await this.script('stop');
  }

  /**
   * With E2E_LOG_DIR set (it keeps each service's output too), the brokers' own logs are copied
   * there before the state goes: what the coordinator did at a fault is read from them.
   */
  private keepServerLogs(): void {
    const logDir = process.env['E2E_LOG_DIR'];
    if (!logDir) return;
    for (let node = 1; node <= this.nodes; node++) {
      const serverLog = join(this.nodes === 1 ? this.stateDir : join(this.stateDir, `node-${node}`), 'kafka.log');
      if (!existsSync(serverLog)) continue;
      mkdirSync(logDir, { recursive: true });
      copyFileSync(serverLog, join(logDir, `kafka-${basename(this.stateDir)}-node-${node}.log`));
    }
  }

  async destroy(): Promise<void> {
    for (let node = 1; node <= this.nodes; node++) {
      const pid = this.pid(node);
      if (pid && alive(pid)) process.kill(pid, 'SIGCONT');
    }
    await this.stop().catch(() => undefined);
    this.keepServerLogs();
    rmSync(this.stateDir, { recursive: true, force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

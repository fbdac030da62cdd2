import { createServer, connect, Server, Socket } from 'node:net';

/*
 * Ports for processes a test starts are drawn below the kernel's ephemeral range (32768–60999 on
 * Linux): a port the OS hands out for `listen(0)` is let go before the process that will own it
 * binds it, seconds later for a JVM or a service, and meanwhile any outgoing connection (a Kafka
 * client, a pg pool) may take it as its local port. Below that range only listeners compete, and
 * this process never hands out the same port twice.
 */
const LOWEST_PORT = 20_000;
const BELOW_EPHEMERAL = 32_768;
const handedOut = new Set<number>();

/** A port on 127.0.0.1 that nothing listens on now, for a server a test starts. */
export function freePort(): Promise<number> {
  return freePortRange(1);
}

/** True when nothing listens on 127.0.0.1:`port` and we may bind it. */
function bindable(port: number): Promise<boolean> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** `count` consecutive free ports on 127.0.0.1 (a Kafka cluster numbers its nodes' ports from one base); the first. */
export async function freePortRange(count: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = LOWEST_PORT + Math.floor(Math.random() * (BELOW_EPHEMERAL - LOWEST_PORT - count));
    const ports = Array.from({ length: count }, (_, i) => base + i);
    if (ports.some((port) => handedOut.has(port))) continue;
    if ((await Promise.all(ports.map(bindable))).every(Boolean)) {
      ports.forEach((port) => handedOut.add(port));
      return base;
    }
  }
  throw new Error(`found no ${count} consecutive free ports on 127.0.0.1 below ${BELOW_EPHEMERAL}`);
}

/**
 * A TCP relay on 127.0.0.1:`port` to a target, that a fault test opens and closes: closed, the
 * port refuses connections and the ones open are cut, as if the target had gone away. Frozen, it
 * keeps every connection open but passes no byte either way (a black hole: a frozen process, a
 * cut link), which a client only notices through its own timeouts.
 */
export class TcpProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly pairs = new Set<{ client: Socket; upstream: Socket }>();
  private frozen = false;

  constructor(
    readonly port: number,
    private readonly target: { host: string; port: number },
  ) {}

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  async open(): Promise<void> {
    if (this.server) return;
    const server = createServer((client) => {
      const upstream = connect(this.target.port, this.target.host);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => socket.destroy());
      }
      const pair = { client, upstream };
      this.pairs.add(pair);
      if (!this.frozen) connectPair(pair);
      client.on('close', () => {
        upstream.destroy();
        this.pairs.delete(pair);
      });
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', resolve);
    });
    this.server = server;
  }

  /** Stops passing bytes, leaving connections open (new ones are accepted and left hanging). */
  freeze(): void {
    this.frozen = true;
    for (const { client, upstream } of this.pairs) {
      client.unpipe(upstream);
      upstream.unpipe(client);
      client.pause();
      upstream.pause();
    }
  }

  /** Passes bytes again, what was held included. */
  thaw(): void {
    this.frozen = false;
    for (const pair of this.pairs) connectPair(pair);
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

function connectPair({ client, upstream }: { client: Socket; upstream: Socket }): void {
  client.pipe(upstream);
  upstream.pipe(client);
  client.resume();
  upstream.resume();
}

import { AddressObject, ParsedMail, simpleParser } from 'mailparser';
import { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { eventually } from './eventually';

/** A mail as the catcher received it. */
export interface CaughtMail {
  /** The SMTP envelope's recipients (RCPT TO). */
  to: string[];
  from: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
  headers: Map<string, unknown>;
  parsed: ParsedMail;
}

const addresses = (value: AddressObject | AddressObject[] | undefined): string[] =>
  (Array.isArray(value) ? value : value ? [value] : []).flatMap((object) => object.value.map((entry) => entry.address ?? ''));

/**
 * A real SMTP server on loopback that keeps every mail it accepts, parsed: for integration and
 * end-to-end tests of notices, and as the local catcher of `npm start` (port 1025,
 * apps/notification-service/src/testing/smtp-catcher.main.ts). It can be
 * told to refuse recipients for a while (`refuse(451)` temporary, `refuse(550)` permanent) to
 * exercise retries, and to hold its answers (`hold()`, `release()`) to keep a send in flight.
 */
export class SmtpCatcher {
  readonly mails: CaughtMail[] = [];
  /** Every RCPT TO the catcher was offered, accepted or refused: delivery attempts. */
  readonly attempts: { to: string; refusedWith?: number }[] = [];
  /** Errors of senders' connections (a killed sender resets its sockets). */
  readonly connectionErrors: Error[] = [];
  private refusal?: { code: number; message: string };
  private held?: { released: Promise<void>; release: () => void };
  private readonly server: SMTPServer;
  private listeningPort = 0;

  private constructor(private readonly onMail?: (mail: CaughtMail) => void) {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onRcptTo: (address, _session, callback) => {
        const refusal = this.refusal;
        this.attempts.push({ to: address.address, ...(refusal ? { refusedWith: refusal.code } : {}) });
        if (!refusal) return callback();
        callback(Object.assign(new Error(refusal.message), { responseCode: refusal.code }));
      },
      onData: (stream, session, callback) => {
        simpleParser(stream)
          .then((parsed) => {
            const mail: CaughtMail = {
              to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
              from: addresses(parsed.from)[0] ?? '',
              subject: parsed.subject ?? '',
              text: parsed.text ?? '',
              html: typeof parsed.html === 'string' ? parsed.html : '',
              messageId: parsed.messageId ?? '',
              headers: parsed.headers,
              parsed,
            };
            this.mails.push(mail);
            this.onMail?.(mail);
            return this.held?.released;
          })
          .then(() => callback())
          .catch((error: Error) => callback(error));
      },
    });
    // smtp-server re-emits every connection's error on the server. A sender killed mid-session
    // (kill -9 of a notification-service replica) resets its sockets: ECONNRESET here is expected,
    // and without a listener the second one would be an uncaught exception in the test process.
    this.server.on('error', (error: Error) => this.connectionErrors.push(error));
  }

  /** Listens on `host:port` (port 0: any free one); `onMail` sees each mail as it arrives. */
  static async start({
    host = '127.0.0.1',
    port = 0,
    onMail,
  }: { host?: string; port?: number; onMail?: (mail: CaughtMail) => void } = {}): Promise<SmtpCatcher> {
    const catcher = new SmtpCatcher(onMail);
    await new Promise<void>((resolve, reject) => {
      catcher.server.once('error', reject);
      catcher.server.listen(port, host, () => resolve());
    });
    catcher.listeningPort = (catcher.server.server.address() as AddressInfo).port;
    return catcher;
  }

  get port(): number {
    return this.listeningPort;
  }

  /** The SMTP_URL that reaches this catcher. */
  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** Refuses every recipient with `code` until accept() (4xx: try later; 5xx: never). */
  refuse(code: number, message = code >= 500 ? 'Mailbox unavailable' : 'Try again later'): void {
    this.refusal = { code, message };
  }

  accept(): void {
    this.refusal = undefined;
  }

  /** Keeps senders waiting for the server's answer after each mail's data (a slow server) until release(). */
  hold(): void {
    let release = (): void => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    this.held = { released, release };
  }

  release(): void {
    this.held?.release();
    this.held = undefined;
  }

  /** Mails whose envelope names this address. */
  to(address: string): CaughtMail[] {
    return this.mails.filter((mail) => mail.to.includes(address));
  }

  /** Waits for the first mail to `address` that matches. */
  waitFor(address: string, matches: (mail: CaughtMail) => boolean = () => true, timeoutMs = 10_000): Promise<CaughtMail> {
    return eventually(() => this.to(address).find(matches), { timeoutMs, what: `a mail to ${address}` });
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

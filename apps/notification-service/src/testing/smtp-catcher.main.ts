import { SmtpCatcher } from '@conduct/testing';

/**
 * The local mail catcher for `npm start` (notification-service's default SMTP_URL is
 * smtp://127.0.0.1:1025): prints each notice as it arrives. Run on its own with
 * `node -r @swc-node/register apps/notification-service/src/testing/smtp-catcher.main.ts`;
 * SMTP_CATCHER_PORT picks another port.
 */
async function main(): Promise<void> {
  const port = Number(process.env['SMTP_CATCHER_PORT'] ?? 1025);
  const catcher = await SmtpCatcher.start({
    port,
    onMail: (mail) => process.stdout.write(`\n=== to ${mail.to.join(', ')} | ${mail.subject} | ${mail.messageId}\n${mail.text}\n`),
  });
  process.stdout.write(`SMTP catcher listening on ${catcher.url}\n`);
  const stop = (): void => void catcher.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

void main();

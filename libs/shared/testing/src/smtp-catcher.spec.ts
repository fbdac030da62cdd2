import { connect, Socket } from 'node:net';
import { eventually } from './eventually';
import { SmtpCatcher } from './smtp-catcher';

const reply = (socket: Socket) => new Promise<string>((resolve) => socket.once('data', (data: Buffer) => resolve(data.toString())));

it('survives senders whose connections are reset mid-mail (kill -9 of a notification-service replica)', async () => {
  const catcher = await SmtpCatcher.start();
  try {
    // smtp-server reports a reset inside a mail transaction as an error event on the server:
    // without the catcher's listener the second one was an uncaught exception that failed a fault test.
    for (let sender = 0; sender < 3; sender++) {
      const socket = connect(catcher.port, '127.0.0.1');
      socket.on('error', () => undefined);
      await reply(socket); // 220 greeting
      socket.write('EHLO killed.example\r\n');
      await reply(socket);
      socket.write('MAIL FROM:<conduct@police.local>\r\n');
      expect(await reply(socket)).toMatch(/^250/);
      socket.resetAndDestroy();
    }
    await eventually(() => catcher.connectionErrors.length === 3, { timeoutMs: 4_000, what: 'three resets reported' });
    expect(new Set(catcher.connectionErrors.map((error) => (error as NodeJS.ErrnoException).code))).toEqual(new Set(['ECONNRESET']));
  } finally {
    await catcher.close();
  }
});

import { ConsoleConfigError, loadConsoleConfig } from './console-config';
import { createConsoleServer } from './console-server';

/** `node dist/apps/console/src/main.js`: the console on http://127.0.0.1:3000 (PORT, HOST). */
function main(): void {
  let config;
  try {
    config = loadConsoleConfig();
  } catch (error) {
    if (!(error instanceof ConsoleConfigError)) throw error;
    console.error(`console: ${error.message}`);
    process.exit(2);
  }
  const server = createConsoleServer(config);
  server.listen(config.port, config.host, () => console.log(`console: listening on http://${config.host}:${config.port}`));
  const stop = () => server.close(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main();

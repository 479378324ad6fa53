import { loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { selectServerToolchain } from './media/toolchain.js';

/** `npm start`: configuration from the environment, first-run set-up, then serve until a signal. */
async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  // The toolchain self-test (child processes) runs while the rest of the server's modules load.
  const toolchain = selectServerToolchain(config, log);
  toolchain.catch(() => undefined); // awaited inside buildApp
  const { buildApp } = await import('./app.js');
  const { ensureAdministrator } = await import('./system/firstRun.js');
  const built = await buildApp(config, log, toolchain);
  await ensureAdministrator(built.deps);
  await built.app.listen({ port: config.port, host: config.host });
  const address = built.app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const shown = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  log.info({ port }, `Stowaway is running: open http://${shown}:${port}/`);
  await built.deps.startBackground?.();

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    await built.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

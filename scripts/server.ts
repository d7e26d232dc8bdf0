/**
 * `npm run server`: the Temporal dev server with a persistent SQLite file under .data/, the Web UI
 * on :8233, the desk's search attributes and 30 days of retention. Idempotent: an already running
 * server is reused.
 */
import { resolve } from 'node:path';
import { dataDir, loadEnv } from '../workers/env';
import { isListening, startDevServer } from '../workers/temporal-server';

export async function ensureServer(
  opts: { port?: number; uiPort?: number; detached?: boolean } = {},
): Promise<{ address: string; started: boolean }> {
  const port = opts.port ?? 7233;
  if (await isListening(port)) return { address: `127.0.0.1:${port}`, started: false };
  const server = await startDevServer({
    port,
    uiPort: opts.uiPort ?? 8233,
    dbFile: resolve(dataDir(loadEnv()), 'temporal.db'),
  });
  return { address: server.address, started: true };
}

if (require.main === module) {
  void (async () => {
    const port = 7233;
    if (await isListening(port)) {
      console.log(`Temporal is already listening on :${port}; UI http://localhost:8233`);
      return;
    }
    const server = await startDevServer({
      port,
      uiPort: 8233,
      dbFile: resolve(dataDir(loadEnv()), 'temporal.db'),
      stdio: 'inherit',
    });
    console.log(`Temporal dev server on ${server.address}; UI ${server.uiUrl}. Ctrl-C to stop.`);
    const stop = () => void server.stop().then(() => process.exit(0));
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  })();
}

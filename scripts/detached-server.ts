import { spawn } from 'node:child_process';
import { mkdirSync, openSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { dataDir } from '../workers/env';
import {
  devServerArgs,
  isListening,
  RETENTION,
  setRetention,
  temporalCliPath,
  waitFor,
} from '../workers/temporal-server';

/**
 * Starts the dev server in the background (it outlives `npm start`, so the UI and `npm run status`
 * keep working) unless one already listens on :7233. Its log and pid go to .data/.
 */
export async function ensureDetachedServer(): Promise<void> {
  if (await isListening(7233)) return;
  const dir = dataDir();
  mkdirSync(dir, { recursive: true });
  const args = devServerArgs({ port: 7233, uiPort: 8233, dbFile: resolve(dir, 'temporal.db'), namespace: 'default' });
  const log = openSync(resolve(dir, 'temporal.log'), 'a');
  const child = spawn(temporalCliPath(), args, { detached: true, stdio: ['ignore', log, log] });
  child.unref();
  writeFileSync(resolve(dir, 'temporal.pid'), String(child.pid));
  await waitFor(() => isListening(7233), 'the Temporal dev server on :7233');
  await setRetention('127.0.0.1:7233', 'default', RETENTION);
  console.log(
    `started the Temporal dev server (pid ${child.pid}, data ${resolve(dir, 'temporal.db')}); UI http://localhost:8233`,
  );
}

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createConnection } from 'node:net';
import { dirname, resolve } from 'node:path';
import { SEARCH_ATTRIBUTE_TYPES } from '../workflows/search-attributes';

export const PROJECT_ROOT = resolve(__dirname, '..');

/** The Temporal CLI installed by scripts/setup (project-local link, else PATH). */
export function temporalCliPath(): string {
  const local = resolve(PROJECT_ROOT, '.tools/bin/temporal');
  if (existsSync(local)) return local;
  return 'temporal';
}

export interface DevServerOptions {
  /** gRPC port. @default 7233 */
  port?: number;
  /** Web UI port; null = headless. @default 8233 */
  uiPort?: number | null;
  /** SQLite file; null = in memory. @default '.data/temporal.db' */
  dbFile?: string | null;
  namespace?: string;
  /** Extra CLI flags. */
  extraArgs?: string[];
  /** Where the server's own log goes. @default 'ignore' */
  stdio?: 'ignore' | 'inherit';
}

export interface DevServer {
  address: string;
  uiUrl: string | null;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** True when something accepts TCP connections on host:port. */
export function isListening(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((done) => {
    const socket = createConnection({ port, host });
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
}

export async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/**
 * The dev server holds every workflow on one history shard, and each shard's task queues are polled at
 * most 20 times a second by default: every workflow task, child start and non-eager activity then waits for
 * the next 50 ms tick (measured: 0.65 s per backtest bar, ~0.24 s without the cap). The desk's server lifts
 * the cap; a self-hosted cluster can set the same keys (docs/scale-out.md).
 */
export const DEV_SERVER_DYNAMIC_CONFIG: Record<string, string> = {
  // New search attributes are visible at once (no cache delay) to the workflows that upsert them.
  'system.forceSearchAttributesCacheRefreshOnRead': 'true',
  // Activities scheduled on the worker's own task queue start without a trip through matching.
  'system.enableActivityEagerExecution': 'true',
  'history.transferProcessorMaxPollRPS': '1000',
  'history.timerProcessorMaxPollRPS': '1000',
  'history.visibilityProcessorMaxPollRPS': '1000',
};

/** `temporal server start-dev` arguments: loopback, the desk's search attributes and dynamic config. */
export function devServerArgs(opts: { port: number; uiPort: number | null; dbFile: string | null; namespace: string }) {
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(opts.port), '--log-level', 'error'];
  args.push('--namespace', opts.namespace);
  if (opts.dbFile) args.push('--db-filename', opts.dbFile);
  if (opts.uiPort === null) args.push('--headless');
  else args.push('--ui-port', String(opts.uiPort));
  for (const [name, type] of Object.entries(SEARCH_ATTRIBUTE_TYPES)) args.push('--search-attribute', `${name}=${type}`);
  for (const [key, value] of Object.entries(DEV_SERVER_DYNAMIC_CONFIG))
    args.push('--dynamic-config-value', `${key}=${value}`);
  return args;
}

/** Starts `temporal server start-dev` with the desk's search attributes and 30+ days of retention. */
export async function startDevServer(opts: DevServerOptions = {}): Promise<DevServer> {
  const port = opts.port ?? 7233;
  const uiPort = opts.uiPort === undefined ? 8233 : opts.uiPort;
  if (opts.dbFile) mkdirSync(dirname(resolve(opts.dbFile)), { recursive: true });
  const args = devServerArgs({ port, uiPort, dbFile: opts.dbFile ?? null, namespace: opts.namespace ?? 'default' });
  args.push(...(opts.extraArgs ?? []));
  const child = spawn(temporalCliPath(), args, { stdio: opts.stdio ?? 'ignore', detached: false });
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  await waitFor(async () => {
    if (exited) throw new Error(`temporal server exited early (${temporalCliPath()} ${args.join(' ')})`);
    return isListening(port);
  }, `the Temporal dev server on :${port}`);
  await setRetention(`127.0.0.1:${port}`, opts.namespace ?? 'default', RETENTION);
  return {
    address: `127.0.0.1:${port}`,
    uiUrl: uiPort === null ? null : `http://localhost:${uiPort}`,
    process: child,
    stop: () => stopProcess(child),
  };
}

/** Namespace retention: 30 days, so weeks of iterations stay inspectable in the UI. */
export const RETENTION = '30d';

export async function setRetention(address: string, namespace: string, retention: string): Promise<void> {
  const { execFile } = await import('node:child_process');
  await new Promise<void>((done, fail) =>
    execFile(
      temporalCliPath(),
      ['operator', 'namespace', 'update', '--address', address, '--namespace', namespace, '--retention', retention],
      (err, _out, stderr) => (err ? fail(new Error(`could not set retention: ${stderr || err.message}`)) : done()),
    ),
  );
}

export function stopProcess(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  return new Promise((done) => {
    if (child.exitCode !== null || child.signalCode !== null) return done();
    child.once('exit', () => done());
    child.kill(signal);
    setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
  });
}

/** A free TCP port on loopback. */
export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((done, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => done(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

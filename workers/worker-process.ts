import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');

/**
 * Node flags of every long-running desk process (`npm run worker`, `npm start`; package.json carries
 * the same flags, tests/unit/worker-process.test.ts checks that). Without a ceiling V8 grows each heap
 * lazily toward its 4 GB default before collecting, and the workflow thread (the SDK runs workflows in
 * a worker thread with a heap of its own, which inherits these flags) is the larger of the two: a
 * 720-bar session then peaked at ~600 MB RSS while its live heap after a collection stayed near 120 MB.
 * 256 MB per heap keeps more than twice the live size as headroom.
 */
export const WORKER_NODE_FLAGS: readonly string[] = ['--max-old-space-size=256'];

export interface WorkerProcessOptions {
  address: string;
  taskQueue: string;
  dataDir: string;
  /** A prebuilt workflow bundle file (`scripts/worker.ts --workflow-bundle`). */
  bundle: string;
  /** --blob-dir: the claim-check store shared by the deployment's workers. @default the data dir */
  blobDir?: string;
  env: NodeJS.ProcessEnv;
}

export interface WorkerProcess {
  child: ChildProcess;
  exited: Promise<void>;
  /** stdout and stderr so far, for an error message. */
  output(): string;
  /** SIGKILL: no graceful shutdown, no goodbye to the server. */
  kill9(): Promise<void>;
  /** SIGTERM (graceful), SIGKILL if it takes too long. */
  stop(): Promise<void>;
}

/**
 * scripts/worker.ts as a child process with the desk's node flags. Node runs it with tsx as a loader
 * (not the tsx CLI, which would fork a grandchild that a SIGKILL to the CLI leaves running).
 */
export function spawnWorkerProcess(opts: WorkerProcessOptions): WorkerProcess {
  const blobArgs = opts.blobDir ? ['--blob-dir', opts.blobDir] : [];
  const child = spawn(
    process.execPath,
    [
      ...WORKER_NODE_FLAGS,
      '--import',
      'tsx',
      'scripts/worker.ts',
      '--task-queue',
      opts.taskQueue,
      '--data-dir',
      opts.dataDir,
      '--address',
      opts.address,
      '--workflow-bundle',
      opts.bundle,
      ...blobArgs,
    ],
    { cwd: ROOT, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr!.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const alive = () => child.exitCode === null && child.signalCode === null;
  const signal = async (sig: NodeJS.Signals) => {
    if (!alive()) return;
    child.kill(sig);
    const force = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(force);
  };
  return { child, exited, output: () => out, kill9: () => signal('SIGKILL'), stop: () => signal('SIGTERM') };
}

/** A process's peak resident set so far (Linux `VmHWM`), in MiB; null where /proc has no such line. */
export function peakRssMbOf(pid: number): number | null {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /^VmHWM:\s+(\d+) kB$/m.exec(status)?.[1];
  return kb === undefined ? null : Number(kb) / 1024;
}

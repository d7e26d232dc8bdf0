import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * mkdir -p one level at a time. Node's `mkdirSync(…, { recursive: true })` spins forever on a
 * path like /proc/x (ENOENT with an existing parent), which is how `--out /proc/x` used to hang.
 */
function makeDirs(abs: string): void {
  const missing: string[] = [];
  for (let p = abs; !existsSync(p); p = dirname(p)) {
    missing.unshift(p);
    if (dirname(p) === p) break;
  }
  for (const d of missing) mkdirSync(d);
}

/**
 * Creates the output directory and writes (then removes) a probe file in it, so a directory that
 * cannot hold the results fails before a run of minutes or hours, not after it.
 */
export function ensureWritableOutputDir(dir: string, flag = '--out'): string {
  const abs = resolve(dir);
  const probe = resolve(abs, `.write-probe-${process.pid}`);
  try {
    makeDirs(abs);
    writeFileSync(probe, 'probe');
    rmSync(probe, { force: true });
  } catch (e) {
    throw new Error(`${flag} ${dir}: cannot create or write the output directory (${(e as Error).message})`);
  }
  return abs;
}

import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * Creates the output directory and writes (then removes) a probe file in it, so a directory that
 * cannot hold the results fails before a run of minutes or hours, not after it.
 */
export function ensureWritableOutputDir(dir: string, flag = '--out'): string {
  const abs = resolve(dir);
  const probe = resolve(abs, `.write-probe-${process.pid}`);
  try {
    mkdirSync(abs, { recursive: true });
    writeFileSync(probe, 'probe');
    rmSync(probe, { force: true });
  } catch (e) {
    throw new Error(`${flag} ${dir}: cannot create or write the output directory (${(e as Error).message})`);
  }
  return abs;
}

/**
 * The workflow bundle built in a child process and written to a file, as a deployment passes it to
 * `scripts/worker.ts --workflow-bundle`: webpack's heap (≈180 MB) then never enters the worker whose
 * peak RSS the bench reports. `npx tsx bench/workflow-bundle.ts FILE` writes the bundle to FILE.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { bundleWorkflowCode } from '@temporalio/worker';

/** Bundles the desk's workflows into `file` in a child process; resolves to the file. */
export async function writeBundleInChild(file: string): Promise<string> {
  await promisify(execFile)(process.execPath, ['--import', 'tsx', __filename, file], { cwd: resolve(__dirname, '..') });
  return file;
}

if (require.main === module) {
  const file = process.argv[2];
  if (!file) throw new Error('usage: npx tsx bench/workflow-bundle.ts FILE');
  const quiet = { info() {}, warn() {}, error() {}, debug() {}, trace() {}, log() {} };
  bundleWorkflowCode({ workflowsPath: require.resolve('../workflows'), logger: quiet })
    .then((b) => writeFileSync(file, b.code))
    .catch((err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    });
}

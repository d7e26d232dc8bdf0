import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import {
  ExperimentRunResultSchema,
  type ExperimentRunResult,
  type ExperimentRunSpec,
} from '../domain/schemas/experiment';

/** The folders whose code a run executes, plus the lock file that pins the libraries it calls. */
export const CODE_PATHS = [
  'domain',
  'activities',
  'workers',
  'adapters',
  'workflows/is-cancellation.ts',
  'package-lock.json',
] as const;

/**
 * The harness's own aggregation and presentation: they read finished runs and never change a run's figures,
 * so editing them must not throw the cache away. (experiment-run.ts computes the figures: it stays in.)
 */
export const FINGERPRINT_EXCLUDES = [
  'workers/experiment-runner.ts',
  'workers/experiment-pool.ts',
  'workers/experiment-cache.ts',
  'domain/metrics/experiment-summary.ts',
  'domain/metrics/experiment-table.ts',
  'domain/metrics/paired-stats.ts',
  'domain/orchestration/experiment-plan.ts',
] as const;

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/** JSON with object keys sorted at every level: equal values give equal text whatever order they were written in. */
export function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableStringify((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * A hash of the source the fast runner executes: every file under CODE_PATHS but the excludes (path and content, in path order).
 * Content rather than a git tree, so uncommitted edits count too.
 */
export function computeCodeFingerprint(
  root: string,
  paths: readonly string[] = CODE_PATHS,
  excludes: readonly string[] = FINGERPRINT_EXCLUDES,
): string {
  const files = paths
    .flatMap((p) => {
      const abs = resolve(root, p);
      if (!existsSync(abs)) return [];
      try {
        return readdirSync(abs, { withFileTypes: true, recursive: true })
          .filter((e) => e.isFile())
          .map((e) => join(e.parentPath, e.name));
      } catch {
        return [abs];
      }
    })
    .map((f) => relative(root, f))
    .filter((f) => !excludes.includes(f))
    .sort();
  const h = createHash('sha256');
  for (const f of files)
    h.update(f)
      .update('\0')
      .update(readFileSync(resolve(root, f)))
      .update('\0');
  return h.digest('hex');
}

/** sha256 of a data file's bytes; null for no file. */
export function hashDataFile(path: string | null | undefined): string | null {
  return path ? sha256(readFileSync(path)) : null;
}

/** Everything a run's figures depend on. The feed's files enter by content, not by path. */
export interface CacheKeyInput {
  run: ExperimentRunSpec;
  /** Content hashes of the feed's files (candles, funding, …). */
  data: Record<string, string | null>;
  /** {@link computeCodeFingerprint}. */
  code: string;
  /** Provider, model and base URL of the `llm` arm's LLM (never a key); null for the heuristic reasoner. */
  llm: string | null;
}

/** The cache key of one run: sha256 of the run spec, data and code (key-order independent). */
export function experimentCacheKey(input: CacheKeyInput): string {
  return sha256(stableStringify({ v: 1, ...input }));
}

/** Finished runs on disk, one JSON file per key; a file that no longer parses is reported and run again. */
export class ExperimentCache {
  constructor(
    readonly dir: string,
    private readonly warn: (message: string) => void = console.warn,
  ) {}

  private file(key: string): string {
    return join(this.dir, `${key}.json`);
  }

  read(key: string): ExperimentRunResult | null {
    const file = this.file(key);
    if (!existsSync(file)) return null;
    try {
      return ExperimentRunResultSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
    } catch (err) {
      this.warn(
        `experiment cache ${file} is unreadable (${err instanceof Error ? err.message.split('\n')[0] : String(err)}): running that run again`,
      );
      return null;
    }
  }

  /** Atomic (write then rename): a killed experiment never leaves a half-written entry. */
  write(key: string, result: ExperimentRunResult): void {
    mkdirSync(this.dir, { recursive: true });
    const tmp = `${this.file(key)}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(result, null, 1));
    renameSync(tmp, this.file(key));
  }
}

import { appendFileSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { z } from 'zod';

/**
 * A time series kept on disk as JSON lines, oldest first. Lines that fail the schema (a torn
 * write, a hand edit) end the usable cache: everything from there is refetched, never trusted.
 */
export class JsonlSeriesCache<T extends { t: number }> {
  constructor(
    readonly file: string,
    private readonly schema: z.ZodType<T>,
  ) {}

  /** Reads the cached points; a missing file is an empty cache. */
  load(): T[] {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch {
      return [];
    }
    const out: T[] = [];
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      let parsed: z.ZodSafeParseResult<T>;
      try {
        parsed = this.schema.safeParse(JSON.parse(line));
      } catch {
        break;
      }
      const prev = out[out.length - 1];
      if (!parsed.success || (prev && parsed.data.t <= prev.t)) break;
      out.push(parsed.data);
    }
    return out;
  }

  /** Appends points newer than the cache's last one. */
  append(points: readonly T[]): void {
    if (points.length === 0) return;
    mkdirSync(dirname(this.file), { recursive: true });
    appendFileSync(this.file, points.map((p) => JSON.stringify(p)).join('\n') + '\n');
  }

  /** Replaces the whole cache atomically (write then rename). */
  replace(points: readonly T[]): void {
    mkdirSync(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, points.map((p) => JSON.stringify(p)).join('\n') + (points.length > 0 ? '\n' : ''));
    renameSync(tmp, this.file);
  }
}

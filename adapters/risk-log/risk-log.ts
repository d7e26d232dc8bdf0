import { mkdir, open, readFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { RiskLogEntrySchema, type RiskLogEntry } from '../../domain/schemas/risk';

export interface RiskLogFilter {
  sessionId?: string;
  iterationId?: string;
  /** Keep only the most recent `limit` matching entries (file order). @default no limit */
  limit?: number;
}

/** M-B: the durable, append-only risk log, idempotent by `entry.key`. */
export interface RiskLog {
  append(entry: RiskLogEntry): Promise<{ written: boolean }>;
  read(filter?: RiskLogFilter): Promise<RiskLogEntry[]>;
}

/** Thrown when an entry handed to `append` does not match RiskLogEntrySchema. */
export class InvalidRiskLogEntryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidRiskLogEntryError';
  }
}

function validateEntry(entry: unknown): RiskLogEntry {
  const parsed = RiskLogEntrySchema.safeParse(entry);
  if (!parsed.success) throw new InvalidRiskLogEntryError(`risk log entry rejected: ${parsed.error.message}`);
  return parsed.data;
}

function applyFilter(entries: RiskLogEntry[], filter: RiskLogFilter = {}): RiskLogEntry[] {
  const matching = entries.filter(
    (e) =>
      (filter.sessionId === undefined || e.sessionId === filter.sessionId) &&
      (filter.iterationId === undefined || e.iterationId === filter.iterationId),
  );
  return filter.limit === undefined ? matching : matching.slice(Math.max(0, matching.length - filter.limit));
}

export interface JsonlRiskLogOptions {
  /** Where skipped (corrupt or truncated) lines are reported. @default console.warn */
  warn?: (message: string) => void;
}

/**
 * One JSON entry per line, appended and fsynced. Keys already in the file are indexed on first use
 * and refreshed from bytes other writers appended since, so a retried activity (or a restarted
 * worker) never logs the same attempt twice. A line cut short by a crash is skipped with a warning.
 */
export class JsonlRiskLog implements RiskLog {
  private readonly keys = new Set<string>();
  /** Bytes of the file already indexed (always at a line boundary). */
  private indexedBytes = 0;
  private endsWithNewline = true;
  /** Serialises appends within this process so the index and the file stay in step. */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly warn: (message: string) => void;

  constructor(
    private readonly path: string,
    options: JsonlRiskLogOptions = {},
  ) {
    this.warn = options.warn ?? ((m) => console.warn(m));
  }

  async append(entry: RiskLogEntry): Promise<{ written: boolean }> {
    const valid = validateEntry(entry);
    const run = this.queue.then(() => this.appendNow(valid));
    this.queue = run.catch(() => undefined);
    return run;
  }

  async read(filter?: RiskLogFilter): Promise<RiskLogEntry[]> {
    const text = await this.readText();
    return applyFilter(this.parseLines(text, 0), filter);
  }

  private async appendNow(entry: RiskLogEntry): Promise<{ written: boolean }> {
    await this.refreshIndex();
    if (this.keys.has(entry.key)) return { written: false };
    await mkdir(dirname(this.path), { recursive: true });
    // A fragment left by a crash mid-write gets its own line, so it cannot swallow this entry.
    const line = `${this.endsWithNewline ? '' : '\n'}${JSON.stringify(entry)}\n`;
    const handle = await open(this.path, 'a');
    try {
      await handle.write(line);
      await handle.sync();
    } finally {
      await handle.close();
    }
    this.keys.add(entry.key);
    this.indexedBytes += Buffer.byteLength(line);
    this.endsWithNewline = true;
    return { written: true };
  }

  /** Indexes the keys of complete lines written since the last look (by us or another instance). */
  private async refreshIndex(): Promise<void> {
    const size = await stat(this.path).then(
      (s) => s.size,
      () => 0,
    );
    if (size <= this.indexedBytes) return;
    const handle = await open(this.path, 'r');
    let chunk: Buffer;
    try {
      chunk = Buffer.alloc(size - this.indexedBytes);
      await handle.read(chunk, 0, chunk.length, this.indexedBytes);
    } finally {
      await handle.close();
    }
    const lastNewline = chunk.lastIndexOf(0x0a);
    const complete = lastNewline >= 0 ? chunk.subarray(0, lastNewline + 1).toString('utf8') : '';
    for (const e of this.parseLines(complete, this.indexedBytes)) this.keys.add(e.key);
    // A trailing fragment without newline is a torn write: skip it, and terminate it before appending.
    const tail = chunk.subarray(lastNewline + 1);
    if (tail.length > 0) this.parseLines(tail.toString('utf8'), size - tail.length);
    this.indexedBytes = size;
    this.endsWithNewline = tail.length === 0;
  }

  private async readText(): Promise<string> {
    try {
      return await readFile(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return '';
      throw err;
    }
  }

  private parseLines(text: string, startByte: number): RiskLogEntry[] {
    const entries: RiskLogEntry[] = [];
    let offset = startByte;
    for (const line of text.split('\n')) {
      const at = offset;
      offset += Buffer.byteLength(line) + 1;
      if (line.trim() === '') continue;
      const parsed = safeJson(line);
      const entry = parsed === undefined ? null : RiskLogEntrySchema.safeParse(parsed);
      if (entry?.success) entries.push(entry.data);
      else this.warn(`risk log ${this.path}: skipped an unreadable line at byte ${at} (${line.length} chars)`);
    }
    return entries;
  }
}

function safeJson(line: string): unknown {
  try {
    return JSON.parse(line) as unknown;
  } catch {
    return undefined;
  }
}

/** In-memory risk log for tests and the fast backtest runner; same idempotency and validation. */
export class MemoryRiskLog implements RiskLog {
  private readonly entries: RiskLogEntry[] = [];
  private readonly keys = new Set<string>();

  async append(entry: RiskLogEntry): Promise<{ written: boolean }> {
    const valid = validateEntry(entry);
    if (this.keys.has(valid.key)) return { written: false };
    this.keys.add(valid.key);
    this.entries.push(structuredClone(valid));
    return { written: true };
  }

  async read(filter?: RiskLogFilter): Promise<RiskLogEntry[]> {
    return applyFilter(
      this.entries.map((e) => structuredClone(e)),
      filter,
    );
  }
}

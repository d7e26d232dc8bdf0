import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { type IterationReport, IterationReportSchema } from '../../domain/schemas/session';

/** Durable log of iteration reports: what the reports and the temporal backtest runner read back. */
export interface RunLog {
  append(sessionId: string, report: IterationReport): Promise<void>;
  read(sessionId: string): Promise<IterationReport[]>;
}

export class MemoryRunLog implements RunLog {
  private readonly bySession = new Map<string, Map<string, IterationReport>>();
  async append(sessionId: string, report: IterationReport): Promise<void> {
    const log = this.bySession.get(sessionId) ?? new Map<string, IterationReport>();
    if (!log.has(report.iterationId)) log.set(report.iterationId, report);
    this.bySession.set(sessionId, log);
  }
  async read(sessionId: string): Promise<IterationReport[]> {
    return [...(this.bySession.get(sessionId)?.values() ?? [])];
  }
}

/** One JSONL file per session under `dir`; appends are idempotent by iteration id (activity retries write once). */
export class JsonlRunLog implements RunLog {
  private readonly seen = new Map<string, Set<string>>();
  constructor(private readonly dir: string) {}

  fileOf(sessionId: string): string {
    return `${this.dir}/${sessionId.replace(/[^A-Za-z0-9._-]/g, '_')}.jsonl`;
  }
  async append(sessionId: string, report: IterationReport): Promise<void> {
    const seen = await this.keys(sessionId);
    if (seen.has(report.iterationId)) return;
    const file = this.fileOf(sessionId);
    await mkdir(dirname(file), { recursive: true });
    await appendFile(file, `${JSON.stringify(IterationReportSchema.parse(report))}\n`);
    seen.add(report.iterationId);
  }
  async read(sessionId: string): Promise<IterationReport[]> {
    let text = '';
    try {
      text = await readFile(this.fileOf(sessionId), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const byId = new Map<string, IterationReport>();
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        const report = IterationReportSchema.parse(JSON.parse(line));
        if (!byId.has(report.iterationId)) byId.set(report.iterationId, report);
      } catch {
        // A line cut short by a crash mid-write: the activity's retry wrote it again in full.
      }
    }
    return [...byId.values()].sort((a, b) => a.barCloseMs - b.barCloseMs);
  }
  private async keys(sessionId: string): Promise<Set<string>> {
    let seen = this.seen.get(sessionId);
    if (!seen) {
      seen = new Set((await this.read(sessionId)).map((r) => r.iterationId));
      this.seen.set(sessionId, seen);
    }
    return seen;
  }
}

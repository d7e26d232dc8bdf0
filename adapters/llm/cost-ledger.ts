import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { CostRecordSchema, CostTotals, type CostRecord } from '../../domain/llm/cost-record';
import type { LlmUsage } from '../../domain/schemas/llm';

export type { CostRecord } from '../../domain/llm/cost-record';

/**
 * Every LLM call's tokens and cost, with totals for budgets and reports. The day total is per UTC
 * day across all sessions that share the ledger, which is what a provider invoice adds up.
 */
export interface CostLedger {
  record(entry: CostRecord): Promise<void>;
  sessionTotal(sessionId: string): Promise<LlmUsage>;
  /** Total of the UTC day containing `atMs`. */
  dayTotal(atMs: number): Promise<LlmUsage>;
  iterationTotal(iterationId: string): Promise<LlmUsage>;
  agentTotal(sessionId: string, agentId: string): Promise<LlmUsage>;
  entries(): Promise<readonly CostRecord[]>;
}

/** In-process ledger for tests and the fast backtest runner. */
export class MemoryCostLedger implements CostLedger {
  protected readonly items: CostRecord[] = [];
  protected readonly totals = new CostTotals();

  async record(entry: CostRecord): Promise<void> {
    this.remember(CostRecordSchema.parse(entry));
  }
  async sessionTotal(sessionId: string): Promise<LlmUsage> {
    await this.ready();
    return this.totals.session(sessionId);
  }
  async dayTotal(atMs: number): Promise<LlmUsage> {
    await this.ready();
    return this.totals.day(atMs);
  }
  async iterationTotal(iterationId: string): Promise<LlmUsage> {
    await this.ready();
    return this.totals.iteration(iterationId);
  }
  async agentTotal(sessionId: string, agentId: string): Promise<LlmUsage> {
    await this.ready();
    return this.totals.agent(sessionId, agentId);
  }
  async entries(): Promise<readonly CostRecord[]> {
    await this.ready();
    return [...this.items];
  }

  protected remember(entry: CostRecord): void {
    this.items.push(entry);
    this.totals.add(entry);
  }
  /** Hook for ledgers that load history lazily. */
  protected async ready(): Promise<void> {}
}

/**
 * Append-only JSONL ledger (one CostRecord per line, default `.data/llm-costs.jsonl`). Existing lines
 * are loaded on first use so the day budget survives a worker restart; a torn last line is skipped.
 */
export class JsonlCostLedger extends MemoryCostLedger {
  private loading: Promise<void> | null = null;

  constructor(private readonly path: string) {
    super();
  }

  override async record(entry: CostRecord): Promise<void> {
    const checked = CostRecordSchema.parse(entry);
    await this.ready();
    await mkdir(dirname(this.path), { recursive: true });
    // One write per line with O_APPEND: concurrent workers on one host do not interleave lines.
    await appendFile(this.path, `${JSON.stringify(checked)}\n`);
    this.remember(checked);
  }

  protected override ready(): Promise<void> {
    this.loading ??= this.load();
    return this.loading;
  }

  private async load(): Promise<void> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      const parsed = CostRecordSchema.safeParse(safeJson(line));
      if (parsed.success) this.remember(parsed.data);
    }
  }
}

function safeJson(line: string): unknown {
  try {
    return JSON.parse(line) as unknown;
  } catch {
    return null;
  }
}

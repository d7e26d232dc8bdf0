import { addUsage } from '../schemas/llm';
import type { HaltEvent, IterationReport } from '../schemas/session';
import { formatIsoUtc } from './civil-time';

/** One line of summary.json `halts`. */
export interface HaltRow {
  time: string;
  kind: HaltEvent['kind'];
  source: HaltEvent['source'];
  reason: string;
  equity: number;
  /** End of a cool-down (ISO), null otherwise. */
  until: string | null;
}

/**
 * One report per bar: a flatten the session recorded after a bar's iteration (kill switch) joins
 * that bar's report, so the curve has one point per bar with the equity after everything it did.
 */
export function collapseBarReports(reports: readonly IterationReport[]): IterationReport[] {
  const out: IterationReport[] = [];
  for (const r of reports) {
    const prev = out.at(-1);
    if (prev && prev.barCloseMs === r.barCloseMs) {
      out[out.length - 1] = {
        ...prev,
        equity: r.equity,
        open: r.open,
        closedTrades: [...prev.closedTrades, ...r.closedTrades],
        halts: [...prev.halts, ...r.halts],
        usage: addUsage(prev.usage, r.usage),
      };
    } else out.push(r);
  }
  return out;
}

/**
 * Every halt, cool-down and resume of a run: the reports' events plus those only the session saw
 * (kill switch, operator resume), once each, in time order.
 */
export function collectHalts(reports: readonly IterationReport[], sessionHalts: readonly HaltEvent[]): HaltEvent[] {
  const key = (e: HaltEvent) => `${e.atMs}|${e.kind}|${e.source}|${e.reason}`;
  const seen = new Set<string>();
  const all: HaltEvent[] = [];
  for (const e of [...reports.flatMap((r) => r.halts), ...sessionHalts]) {
    if (seen.has(key(e))) continue;
    seen.add(key(e));
    all.push(e);
  }
  return all
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.atMs - b.e.atMs || a.i - b.i)
    .map((x) => x.e);
}

export function toHaltRows(events: readonly HaltEvent[]): HaltRow[] {
  return events.map((e) => ({
    time: formatIsoUtc(e.atMs),
    kind: e.kind,
    source: e.source,
    reason: e.reason,
    equity: e.equity,
    until: e.untilMs === null ? null : formatIsoUtc(e.untilMs),
  }));
}

/** Bars the fund spent halted (no pipeline ran, equity flat): they dilute per-bar risk metrics. */
export function countHaltedBars(reports: readonly IterationReport[]): number {
  return reports.filter((r) => r.decision === 'halted').length;
}

/** The sentence the summary and the report carry when risk metrics include halted bars; null when none. */
export function describeHaltedBars(haltedBars: number, bars: number): string | null {
  if (haltedBars === 0) return null;
  const share = bars > 0 ? ((100 * haltedBars) / bars).toFixed(1) : '0';
  return `sharpe, sortino, volatility, drawdown and exposure include ${haltedBars} of ${bars} bars (${share}%) spent halted with a flat book`;
}

/** One console line per event, for `npm start` and `npm run backtest`. */
export function describeHaltEvent(e: HaltEvent): string {
  const head = e.kind === 'halt' ? 'HALT' : e.kind === 'cooldown' ? 'COOL-DOWN' : 'RESUME';
  const until = e.untilMs === null ? '' : ` until ${formatIsoUtc(e.untilMs)}`;
  return `[${formatIsoUtc(e.atMs)}] ${head} (${e.source.replace('_', ' ')})${until}: ${e.reason}; equity ${e.equity.toFixed(2)}`;
}

import { formatIsoUtc } from '../metrics/civil-time';
import type { Candle, DataIssue } from '../schemas/market';

/** Result of {@link checkCandles}: the usable candles (sorted, unique, valid) and what was wrong. */
export interface CandleCheck {
  clean: Candle[];
  issues: DataIssue[];
}

function issue(kind: DataIssue['kind'], stream: string, at: number | null, detail: string): DataIssue {
  return { kind, stream, at: at !== null && Number.isFinite(at) && at >= 0 ? at : null, detail };
}

/** Returns the problem with one candle's values, or null when it is usable. */
export function findCandleProblem(c: Candle): { kind: DataIssue['kind']; detail: string } | null {
  // Written out (no array + every) because this runs for every bar of every snapshot.
  if (!(
    Number.isFinite(c.t) &&
    Number.isFinite(c.open) &&
    Number.isFinite(c.high) &&
    Number.isFinite(c.low) &&
    Number.isFinite(c.close) &&
    Number.isFinite(c.volume)
  )) {
    return { kind: 'nan', detail: 'non-finite field' };
  }
  if (c.open <= 0 || c.high <= 0 || c.low <= 0 || c.close <= 0)
    return { kind: 'non_positive', detail: 'non-positive price' };
  if (c.volume < 0) return { kind: 'non_positive', detail: 'negative volume' };
  if (c.high < c.low) return { kind: 'high_below_low', detail: `high ${c.high} < low ${c.low}` };
  return null;
}

/**
 * Validates a candle stream: drops invalid bars (NaN, non-positive, high < low), sorts
 * out-of-order bars, keeps the first of duplicates, and reports every problem plus gaps
 * (a step of more than one bar between consecutive opens). Nothing here is fatal.
 */
export function checkCandles(candles: readonly Candle[], barMs: number, stream = 'candles'): CandleCheck {
  const issues: DataIssue[] = [];
  const valid: Candle[] = [];
  let sorted = true;
  for (const c of candles) {
    const problem = findCandleProblem(c);
    if (problem) {
      issues.push(issue(problem.kind, stream, c.t, problem.detail));
      continue;
    }
    const prev = valid[valid.length - 1];
    if (prev && c.t < prev.t) {
      sorted = false;
      issues.push(issue('out_of_order', stream, c.t, `bar ${c.t} after bar ${prev.t}`));
    }
    valid.push(c);
  }
  if (!sorted) valid.sort((a, b) => a.t - b.t);
  const clean: Candle[] = [];
  for (const c of valid) {
    const prev = clean[clean.length - 1];
    if (prev && c.t === prev.t) {
      issues.push(issue('duplicate', stream, c.t, `duplicate bar ${c.t}; first kept`));
      continue;
    }
    if (prev && c.t - prev.t > barMs) {
      const missing = Math.round((c.t - prev.t) / barMs) - 1;
      issues.push(
        issue(
          'gap',
          stream,
          prev.t + barMs,
          `${missing} missing bar(s) between the bars opening ${formatIsoUtc(prev.t)} and ${formatIsoUtc(c.t)}`,
        ),
      );
    }
    clean.push(c);
  }
  return { clean, issues };
}

/**
 * Resamples sorted, unique candles to a coarser interval aligned to the epoch (UTC), using
 * complete groups only: open = first, high = max, low = min, close = last, volume = sum.
 * An incomplete group (a missing sub-bar, or the still-forming last period) is dropped.
 */
export function resampleCandles(candles: readonly Candle[], fromMs: number, toMs: number): Candle[] {
  const perGroup = Math.round(toMs / fromMs);
  const out: Candle[] = [];
  let i = 0;
  while (i < candles.length) {
    const first = candles[i] as Candle;
    const start = Math.floor(first.t / toMs) * toMs;
    let j = i;
    let high = first.high;
    let low = first.low;
    let volume = 0;
    while (j < candles.length && (candles[j] as Candle).t < start + toMs) {
      const c = candles[j] as Candle;
      if (c.high > high) high = c.high;
      if (c.low < low) low = c.low;
      volume += c.volume;
      j++;
    }
    const last = candles[j - 1] as Candle;
    if (j - i === perGroup && first.t === start) {
      out.push({ t: start, open: first.open, high, low, close: last.close, volume });
    }
    i = j;
  }
  return out;
}

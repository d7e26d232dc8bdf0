import { createRng, hashString } from '../random/prng';
import type { BaselineWindow } from './baseline-window';
import { summariseDistribution, type Distribution } from './distribution';
import { walkPolicy, type BaselineResult } from './walk-policy';

/** Options of {@link runRandomEntries}. */
export interface RandomEntriesOptions {
  /** Number of seeded runs. @default 50 */
  runs?: number;
  /** Fraction of curve marks to spend in a position (the desk's exposure). @default 0.5 */
  targetExposure?: number;
  /** Mean holding period in bars; sets the number of trades ≈ in-position bars / this. @default 6 */
  meanHoldBars?: number;
}

/** Spread of the random baseline's metrics across seeds. */
export interface RandomEntriesSummary {
  runs: number;
  /** Mean realised exposure across runs. */
  exposure: number;
  total_return: Distribution;
  sharpe: Distribution;
  max_drawdown: Distribution;
}

/** Splits `total` into `parts` non-negative integers: sorted uniform cut points (stars and bars, not exactly uniform over compositions). */
function splitRandomly(rng: () => number, total: number, parts: number): number[] {
  const cuts: number[] = [];
  for (let k = 0; k < parts - 1; k++) cuts.push(Math.floor(rng() * (total + 1)));
  cuts.sort((a, b) => a - b);
  const out: number[] = [];
  let prev = 0;
  for (const c of cuts) {
    out.push(c - prev);
    prev = c;
  }
  out.push(total - prev);
  return out;
}

/**
 * The side to hold after each of `bars` closes (1 long, −1 short, 0 flat; the last close is
 * always flat). The curve has bars + 1 marks (an opening mark plus one per close) and a position
 * held after close j counts at that close's mark, so round(targetExposure·(bars + 1)) in-position slots give
 * the target exposure to within one mark. The slots are cut into trades of random length (mean
 * `meanHoldBars`) at random places, each long or short with probability ½. Adjacent trades on the
 * same side with no gap merge into one.
 */
export function buildRandomSchedule(
  rng: () => number,
  bars: number,
  targetExposure: number,
  meanHoldBars: number,
): Int8Array {
  const schedule = new Int8Array(Math.max(0, bars));
  const slots = Math.max(0, bars - 1);
  const held = Math.min(slots, Math.max(0, Math.round(targetExposure * (bars + 1))));
  if (held === 0) return schedule;
  const trades = Math.min(held, Math.max(1, Math.round(held / Math.max(1, meanHoldBars))));
  const holds = splitRandomly(rng, held - trades, trades).map((h) => h + 1);
  const gaps = splitRandomly(rng, slots - held, trades + 1);
  let pos = gaps[0] ?? 0;
  for (let j = 0; j < trades; j++) {
    const side = rng() < 0.5 ? 1 : -1;
    const h = holds[j] ?? 0;
    schedule.fill(side, pos, pos + h);
    pos += h + (gaps[j + 1] ?? 0);
  }
  return schedule;
}

/** One seeded random-entries run on the window. */
export function runRandomEntriesOnce(
  w: BaselineWindow,
  seed: number,
  targetExposure: number,
  meanHoldBars: number,
): BaselineResult {
  const rng = createRng(hashString(`baseline:random_entries:${seed}`));
  const schedule = buildRandomSchedule(rng, w.bars.length, targetExposure, meanHoldBars);
  return walkPolicy(w, `random_entries_${seed}`, (i) => {
    const s = schedule[i] ?? 0;
    return s === 1 ? 'long' : s === -1 ? 'short' : null;
  });
}

/** Seeds 0 … runs − 1, each a {@link runRandomEntriesOnce}; the metrics' spread across seeds. */
export function runRandomEntries(w: BaselineWindow, opts: RandomEntriesOptions = {}): RandomEntriesSummary {
  const runs = opts.runs ?? 50;
  const target = opts.targetExposure ?? 0.5;
  const hold = opts.meanHoldBars ?? 6;
  const metrics = Array.from({ length: runs }, (_, seed) => runRandomEntriesOnce(w, seed, target, hold).metrics);
  return {
    runs,
    exposure: metrics.length === 0 ? 0 : metrics.reduce((s, m) => s + m.exposure, 0) / metrics.length,
    total_return: summariseDistribution(metrics.map((m) => m.total_return)),
    sharpe: summariseDistribution(metrics.map((m) => m.sharpe)),
    max_drawdown: summariseDistribution(metrics.map((m) => m.max_drawdown)),
  };
}

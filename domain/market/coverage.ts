import { formatIsoUtc } from '../metrics/civil-time';
import type { DataIssueReport } from '../schemas/data-issues';

/** A file's stamps against the window a run trades. */
export interface CoverageInput {
  file: string;
  /** 'funding', 'news', 'open interest': named in the messages. */
  what: string;
  /** Sorted stamps of the file's rows (availability times for news). */
  times: readonly number[];
  fromMs: number;
  toMs: number;
  /** Slack at each end before a missing stretch counts (funding settles every 8h, news is sparse). */
  slackMs: number;
}

const day = (ms: number): string => formatIsoUtc(ms).slice(0, 10);

/**
 * How a file covers the traded window: `error` when it has nothing inside it (the run would
 * silently trade without that stream), a `coverage` warning when it starts late or ends early.
 */
export function checkCoverage(input: CoverageInput): { error: string | null; warnings: DataIssueReport[] } {
  const { file, what, times, fromMs, toMs, slackMs } = input;
  const window = `the backtest trades ${day(fromMs)} → ${day(toMs)}`;
  const first = times[0];
  const last = times[times.length - 1];
  if (first === undefined || last === undefined)
    return { error: `${what} file has no rows, but ${window}`, warnings: [] };
  const covers = `${what} covers ${day(first)} → ${day(last)}`;
  const inside = times.some((t) => t > fromMs - slackMs && t <= toMs);
  if (!inside) return { error: `${covers} but ${window}: no ${what} inside the traded window`, warnings: [] };
  const warnings: DataIssueReport[] = [];
  if (first > fromMs + slackMs)
    warnings.push({
      file,
      time: formatIsoUtc(first),
      kind: 'coverage',
      message: `${covers} but ${window}: no ${what} before ${day(first)}`,
    });
  if (last < toMs - slackMs)
    warnings.push({
      file,
      time: formatIsoUtc(last),
      kind: 'coverage',
      message: `${covers} but ${window}: no ${what} after ${day(last)}`,
    });
  return { error: null, warnings };
}

import { readFileSync } from 'node:fs';
import { BAR_MS } from '../../domain/schemas/config';
import type { Candle, DataIssue, FundingRate, OpenInterest } from '../../domain/schemas/market';
import { findAbsurdMove } from '../../domain/market/absurd-prices';
import { checkCandles, resampleCandles } from '../../domain/market/candle-checks';
import { formatIsoUtc } from '../../domain/metrics/civil-time';
import { findTimestampUnitProblem } from '../../domain/market/timestamp-units';
import type { DataIssueReport } from '../../domain/schemas/data-issues';
import { DataFileError } from './data-file-error';
import { quoteCell } from './quote-cell';

interface Table {
  file: string;
  /** Rows of numbers with their 1-based line number in the file. */
  rows: { line: number; values: number[] }[];
}

/**
 * Reads a numeric CSV strictly: the header must contain `columns` (in any position, extra columns
 * allowed), every data row must have the header's column count, and every needed cell must parse
 * as a finite number. Errors name the file and the 1-based line (the header is line 1).
 */
function readNumericTable(file: string, columns: readonly string[]): Table {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new DataFileError(file, null, `cannot read file (${(e as Error).message})`);
  }
  const lines = text.split(/\r?\n/);
  const header = (lines[0] ?? '')
    .replace(/^\uFEFF/, '')
    .split(',')
    .map((h) => h.trim());
  const index = columns.map((c) => header.indexOf(c));
  const missing = columns.filter((_, i) => index[i] === -1);
  if (missing.length > 0)
    throw new DataFileError(
      file,
      1,
      `header lacks column(s) ${missing.join(', ')} (found: ${quoteCell(header.join(','))})`,
    );
  const rows: Table['rows'] = [];
  for (let i = 1; i < lines.length; i++) {
    const raw = lines[i] as string;
    if (raw.trim() === '') {
      if (lines.slice(i + 1).some((l) => l.trim() !== ''))
        throw new DataFileError(file, i + 1, 'empty line inside the data');
      break;
    }
    const cells = raw.split(',');
    if (cells.length !== header.length)
      throw new DataFileError(file, i + 1, `expected ${header.length} columns, found ${cells.length}`);
    const values = index.map((col, k) => {
      const cell = (cells[col] as string).trim();
      const v = cell === '' ? Number.NaN : Number(cell);
      if (!Number.isFinite(v))
        throw new DataFileError(file, i + 1, `column ${columns[k]} is not a finite number: ${quoteCell(cell)}`);
      return v;
    });
    rows.push({ line: i + 1, values });
  }
  if (rows.length === 0) throw new DataFileError(file, null, 'no data rows');
  return { file, rows };
}

/** Checks timestamps are integers in epoch milliseconds (not seconds), strictly increasing (no duplicates). */
function checkTimestamps(table: Table): void {
  let prev = -Infinity;
  for (const { line, values } of table.rows) {
    const t = values[0] as number;
    if (!Number.isInteger(t) || t < 0)
      throw new DataFileError(table.file, line, `timestamp_ms must be a non-negative integer, got ${t}`);
    const unit = findTimestampUnitProblem(t);
    if (unit) throw new DataFileError(table.file, line, unit);
    if (t === prev) throw new DataFileError(table.file, line, `duplicate timestamp ${t}`);
    if (t < prev)
      throw new DataFileError(
        table.file,
        line,
        `timestamp ${t} is before the previous row's ${prev} (file must be sorted)`,
      );
    prev = t;
  }
}

/** Smallest step between consecutive rows: the sampling interval (gaps only make steps longer). */
function detectInterval(table: Table): number {
  let step = Infinity;
  for (let i = 1; i < table.rows.length; i++) {
    const d = (table.rows[i]?.values[0] as number) - (table.rows[i - 1]?.values[0] as number);
    if (d < step) step = d;
  }
  return step;
}

export interface CandleFile {
  candles: Candle[];
  /** Interval of the file's rows before any resampling. */
  sourceIntervalMs: number;
  issues: DataIssue[];
  /** Rows skipped for an absurd price move (only with onAbsurdPrice 'skip'). */
  skipped: DataIssueReport[];
}

/** What to do with a row whose prices moved more than any BTC market has in one bar. */
export type AbsurdPricePolicy = 'reject' | 'skip';

/** Drops (policy 'skip') or refuses (policy 'reject') rows whose prices jump absurdly from the previous kept close. */
function screenAbsurdPrices(
  file: string,
  rows: { line: number; candle: Candle }[],
  policy: AbsurdPricePolicy,
): { kept: Candle[]; skipped: DataIssueReport[] } {
  const kept: Candle[] = [];
  const skipped: DataIssueReport[] = [];
  for (const { line, candle } of rows) {
    const prev = kept[kept.length - 1];
    const problem = prev ? findAbsurdMove(prev.close, candle) : null;
    if (problem === null) {
      kept.push(candle);
      continue;
    }
    if (policy === 'reject')
      throw new DataFileError(file, line, `${problem} (pass --skip-absurd-prices to report and skip such rows)`);
    skipped.push({
      file,
      row: line,
      time: formatIsoUtc(candle.t),
      kind: 'absurd_price',
      message: `${problem}: row skipped`,
    });
  }
  return { kept, skipped };
}

/** Reads a candle CSV (timestamp_ms = bar open); a finer file that divides 4h (1h, 15m...) is resampled to 4h. */
export function readCandleFile(file: string, barMs = BAR_MS, onAbsurdPrice: AbsurdPricePolicy = 'reject'): CandleFile {
  const table = readNumericTable(file, ['timestamp_ms', 'open', 'high', 'low', 'close', 'volume']);
  checkTimestamps(table);
  const parsed = table.rows.map(({ line, values }) => {
    const [t, open, high, low, close, volume] = values as [number, number, number, number, number, number];
    if (open <= 0 || high <= 0 || low <= 0 || close <= 0) throw new DataFileError(file, line, 'non-positive price');
    if (volume < 0) throw new DataFileError(file, line, `negative volume ${volume}`);
    if (high < low) throw new DataFileError(file, line, `high ${high} < low ${low}`);
    if (open > high || open < low || close > high || close < low)
      throw new DataFileError(file, line, 'open/close outside [low, high]');
    return { line, candle: { t, open, high, low, close, volume } };
  });
  const { kept: candles, skipped } = screenAbsurdPrices(file, parsed, onAbsurdPrice);
  const interval = table.rows.length > 1 ? detectInterval(table) : barMs;
  if (interval > barMs || barMs % interval !== 0) {
    throw new DataFileError(
      file,
      null,
      `candle interval ${interval / 60000} min cannot be resampled to ${barMs / 60000} min`,
    );
  }
  const misaligned = table.rows.find(({ values }) => (values[0] as number) % interval !== 0);
  // Interval detection above reads every row, skipped ones included: a skipped row leaves a gap, not a new grid.
  if (misaligned)
    throw new DataFileError(
      file,
      misaligned.line,
      `timestamp ${misaligned.values[0]} is not aligned to the ${interval / 60000} min grid`,
    );
  const { issues } = checkCandles(candles, interval, file);
  return {
    candles: interval === barMs ? candles : resampleCandles(candles, interval, barMs),
    sourceIntervalMs: interval,
    issues,
    skipped,
  };
}

/** Reads a funding CSV (timestamp_ms = settlement time, funding_rate = fraction per 8h). */
export function readFundingFile(file: string): FundingRate[] {
  const table = readNumericTable(file, ['timestamp_ms', 'funding_rate']);
  checkTimestamps(table);
  return table.rows.map(({ line, values }) => {
    const [t, rate] = values as [number, number];
    if (Math.abs(rate) > 0.05) throw new DataFileError(file, line, `funding rate ${rate} outside ±5%`);
    return { t, rate };
  });
}

/**
 * Reads an open-interest CSV (timestamp_ms = interval open, oi_close_btc). The contract stamps OI at
 * the close of its sampling interval, so t = open + interval: an hour's OI is known only when it ends.
 */
export function readOpenInterestFile(file: string): OpenInterest[] {
  const table = readNumericTable(file, ['timestamp_ms', 'oi_close_btc']);
  checkTimestamps(table);
  const interval = table.rows.length > 1 ? detectInterval(table) : 0;
  return table.rows.map(({ line, values }) => {
    const [t, oi] = values as [number, number];
    if (oi < 0) throw new DataFileError(file, line, `negative open interest ${oi}`);
    return { t: t + interval, oi };
  });
}

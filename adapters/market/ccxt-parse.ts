import { ClassifiedError, FailureType } from '../../domain/failures';
import type { Candle, FundingRate, OpenInterest, OrderBookTop } from '../../domain/schemas/market';

/** Thrown when an exchange answers with data that is not what its API promises (missing fields, NaN, high < low). */
export class MalformedResponseError extends ClassifiedError {
  constructor(
    readonly exchangeId: string,
    what: string,
    detail: string,
  ) {
    super(FailureType.DataInvalid, `${exchangeId} ${what}: malformed response: ${detail}`, false);
    this.name = 'MalformedResponseError';
  }
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Validates ccxt OHLCV rows ([t, o, h, l, c, v]) into candles. */
export function parseOhlcvRows(exchangeId: string, rows: unknown): Candle[] {
  if (!Array.isArray(rows))
    throw new MalformedResponseError(exchangeId, 'fetchOHLCV', `expected an array, got ${typeof rows}`);
  return rows.map((row: unknown, i) => {
    if (!Array.isArray(row) || row.length < 6 || !row.slice(0, 6).every(isNum)) {
      throw new MalformedResponseError(
        exchangeId,
        'fetchOHLCV',
        `row ${i + 1} is not [t, o, h, l, c, v] numbers: ${JSON.stringify(row)}`,
      );
    }
    const [t, open, high, low, close, volume] = row as number[] as [number, number, number, number, number, number];
    if (open <= 0 || high <= 0 || low <= 0 || close <= 0 || volume < 0 || high < low) {
      throw new MalformedResponseError(
        exchangeId,
        'fetchOHLCV',
        `row ${i + 1} has impossible prices: ${JSON.stringify(row)}`,
      );
    }
    return { t, open, high, low, close, volume };
  });
}

/** Validates ccxt funding-rate history entries. */
export function parseFundingRows(exchangeId: string, rows: unknown): FundingRate[] {
  if (!Array.isArray(rows))
    throw new MalformedResponseError(exchangeId, 'fetchFundingRateHistory', 'expected an array');
  return rows.map((r: { timestamp?: unknown; fundingRate?: unknown }, i) => {
    if (!isNum(r?.timestamp) || !isNum(r?.fundingRate) || Math.abs(r.fundingRate) > 0.05) {
      throw new MalformedResponseError(exchangeId, 'fetchFundingRateHistory', `entry ${i + 1}: ${JSON.stringify(r)}`);
    }
    return { t: r.timestamp, rate: r.fundingRate };
  });
}

/** Validates ccxt open-interest history entries (amount in base currency, BTC). */
export function parseOpenInterestRows(exchangeId: string, rows: unknown): OpenInterest[] {
  if (!Array.isArray(rows))
    throw new MalformedResponseError(exchangeId, 'fetchOpenInterestHistory', 'expected an array');
  return rows.map((r: { timestamp?: unknown; openInterestAmount?: unknown }, i) => {
    if (!isNum(r?.timestamp) || !isNum(r?.openInterestAmount) || r.openInterestAmount < 0) {
      throw new MalformedResponseError(exchangeId, 'fetchOpenInterestHistory', `entry ${i + 1}: ${JSON.stringify(r)}`);
    }
    return { t: r.timestamp, oi: r.openInterestAmount };
  });
}

/** Top of a ccxt order book, or null when a side is empty. */
export function parseBookTop(
  exchangeId: string,
  book: { bids?: unknown; asks?: unknown; timestamp?: unknown },
  nowMs: number,
): OrderBookTop | null {
  const bid = Array.isArray(book?.bids) ? (book.bids[0] as unknown) : undefined;
  const ask = Array.isArray(book?.asks) ? (book.asks[0] as unknown) : undefined;
  if (bid === undefined || ask === undefined) return null;
  if (
    !Array.isArray(bid) ||
    !Array.isArray(ask) ||
    !isNum(bid[0]) ||
    !isNum(bid[1]) ||
    !isNum(ask[0]) ||
    !isNum(ask[1]) ||
    bid[0] <= 0 ||
    ask[0] <= 0
  ) {
    throw new MalformedResponseError(exchangeId, 'fetchOrderBook', `bad top of book ${JSON.stringify({ bid, ask })}`);
  }
  const t = isNum(book.timestamp) ? book.timestamp : nowMs;
  return { t, bid: bid[0], ask: ask[0], bidSize: bid[1], askSize: ask[1] };
}

/**
 * ccxt turns some malformed bodies (an HTML error page with status 200, rows it cannot parse)
 * into an empty list. When a call returned nothing, look at the raw body ccxt kept
 * (`last_http_response`): a body that is not JSON, or a non-empty JSON array that produced no
 * rows, is a malformed response, not "no data".
 */
export function checkEmptyResult(exchangeId: string, what: string, rawBody: unknown): void {
  if (typeof rawBody !== 'string' || rawBody.trim() === '') return;
  let parsed: unknown;
  try {
    parsed = JSON.parse(rawBody);
  } catch {
    throw new MalformedResponseError(exchangeId, what, `body is not JSON: ${rawBody.slice(0, 80)}`);
  }
  if (Array.isArray(parsed) && parsed.length > 0) {
    throw new MalformedResponseError(
      exchangeId,
      what,
      `${parsed.length} row(s) could not be parsed: ${rawBody.slice(0, 80)}`,
    );
  }
}

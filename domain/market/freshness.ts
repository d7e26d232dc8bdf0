import { formatIsoUtc } from '../metrics/civil-time';
import type { Candle } from '../schemas/market';

/**
 * Why a snapshot must not open a position, or null when it is fresh. A snapshot is stale when its
 * newest closed bar does not close at the snapshot's bar close (a gap in a file, a late live bar):
 * an order placed on it would fill at an old close and be stamped before the gap. It is gapped when
 * bars are missing right behind the newest one: every indicator then spans prices days apart.
 */
export function findStaleness(candles: readonly Candle[], barCloseMs: number, barMs: number): string | null {
  const last = candles[candles.length - 1];
  if (!last) return `no closed bar at ${formatIsoUtc(barCloseMs)}`;
  const lastClose = last.t + barMs;
  if (lastClose !== barCloseMs) {
    const behind = Math.round((barCloseMs - lastClose) / barMs);
    return `stale data: the newest closed bar closes at ${formatIsoUtc(lastClose)}, ${behind} bar(s) before ${formatIsoUtc(barCloseMs)} (missing or late candles)`;
  }
  const prev = candles[candles.length - 2];
  if (prev && last.t - prev.t !== barMs) {
    const missing = Math.round((last.t - prev.t) / barMs) - 1;
    return `gapped data: ${missing} bar(s) missing between ${formatIsoUtc(prev.t + barMs)} and ${formatIsoUtc(last.t)}, right behind the newest bar`;
  }
  return null;
}

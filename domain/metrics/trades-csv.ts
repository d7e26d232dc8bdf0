import type { ClosedTrade } from '../schemas/account';
import { formatIsoUtc } from './civil-time';

/** The fixed trades.csv header (docs/architecture.md "Outputs other tools read"). */
export const TRADES_CSV_HEADER =
  'trade_id,client_order_id,side,entry_time,entry_price,exit_time,exit_price,size,leverage,liquidation_price,exit_reason,realized_pnl,fees,funding';

/** Quote a field only when it needs it (RFC 4180: comma, quote or line break inside). */
function escapeCsvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * Numbers are written with JavaScript's shortest round-trip representation, so parsing the
 * file gives back the exact doubles and the accounting identity
 * final − initial = Σ realized_pnl − Σ fees + Σ funding holds as well as it does in memory.
 */
function formatNumber(n: number): string {
  return Number.isFinite(n) ? String(n) : '';
}

/** Closed trades → trades.csv text (header + one line per trade, trailing newline). */
export function tradesToCsv(trades: readonly ClosedTrade[]): string {
  const lines = trades.map((t) =>
    [
      escapeCsvField(t.tradeId),
      escapeCsvField(t.clientOrderId),
      t.side,
      formatIsoUtc(t.entryTimeMs),
      formatNumber(t.entryPrice),
      formatIsoUtc(t.exitTimeMs),
      formatNumber(t.exitPrice),
      formatNumber(t.size),
      formatNumber(t.leverage),
      formatNumber(t.liquidationPrice),
      t.exitReason,
      formatNumber(t.realizedPnl),
      formatNumber(t.fees),
      formatNumber(t.funding),
    ].join(','),
  );
  return [TRADES_CSV_HEADER, ...lines].join('\n') + '\n';
}

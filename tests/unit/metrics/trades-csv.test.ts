import { TRADES_CSV_HEADER, tradesToCsv } from '../../../domain/metrics/trades-csv';
import { FOUR_TRADES, makeTrade } from './fixtures';

const EXPECTED_HEADER =
  'trade_id,client_order_id,side,entry_time,entry_price,exit_time,exit_price,size,leverage,liquidation_price,exit_reason,realized_pnl,fees,funding';

describe('tradesToCsv', () => {
  it('writes the exact header of docs/architecture.md', () => {
    expect(TRADES_CSV_HEADER).toBe(EXPECTED_HEADER);
    expect(tradesToCsv([]).split('\n')[0]).toBe(EXPECTED_HEADER);
  });

  it('writes one row per trade with ISO UTC times in header order', () => {
    const trade = makeTrade({
      tradeId: 'T1',
      clientOrderId: 'iter-1-a0',
      side: 'short',
      entryTimeMs: Date.UTC(2024, 6, 1, 4),
      exitTimeMs: Date.UTC(2024, 6, 2, 8, 0, 0, 5),
      entryPrice: 60_000.5,
      exitPrice: 59_000.25,
      size: 0.015,
      leverage: 5,
      liquidationPrice: 71_234.56,
      exitReason: 'take_profit',
      realizedPnl: 15.00375,
      fees: 0.9,
      funding: -0.12,
    });
    const lines = tradesToCsv([trade]).split('\n');
    expect(lines).toHaveLength(3); // header, row, trailing newline
    expect(lines[1]).toBe(
      'T1,iter-1-a0,short,2024-07-01T04:00:00.000Z,60000.5,2024-07-02T08:00:00.005Z,59000.25,0.015,5,71234.56,take_profit,15.00375,0.9,-0.12',
    );
  });

  it('quotes fields containing commas or quotes (RFC 4180)', () => {
    const row = tradesToCsv([makeTrade({ tradeId: 'a,b', clientOrderId: 'say "hi"' })]).split('\n')[1]!;
    expect(row.startsWith('"a,b","say ""hi""",')).toBe(true);
  });

  it('keeps numbers exact so the accounting identity holds to 1e-9 after parsing', () => {
    const awkward = FOUR_TRADES.map((t, i) => ({
      ...t,
      realizedPnl: t.realizedPnl + 1 / 3 + i * 1e-7,
      fees: t.fees * 0.1 + 1 / 7,
      funding: t.funding * 0.01 - 1 / 11,
    }));
    const rows = tradesToCsv(awkward)
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(','));
    const col = (name: string): number => EXPECTED_HEADER.split(',').indexOf(name);
    const fromCsv = rows.reduce(
      (a, r) => a + Number(r[col('realized_pnl')]) - Number(r[col('fees')]) + Number(r[col('funding')]),
      0,
    );
    const inMemory = awkward.reduce((a, t) => a + t.realizedPnl - t.fees + t.funding, 0);
    expect(Math.abs(fromCsv - inMemory)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(inMemory)));
    rows.forEach((r, i) => expect(Number(r[col('realized_pnl')])).toBe(awkward[i]!.realizedPnl));
  });
});

import * as ccxt from 'ccxt';
import {
  PAPER_PRECISION,
  countStepDecimals,
  formatPrice,
  formatSize,
  readCcxtPrecision,
} from '../../../adapters/exchange/market-precision';
import { FakeMarketExchange } from '../../fakes/fake-market-exchange';
import { resolveMarketPrecision } from '../../../workers/console-precision';

describe('market precision at the console boundary', () => {
  it('prints a slipped paper fill price at the 0.1 tick and a size at the 0.001 step', () => {
    expect(formatPrice(26268.645220000002, PAPER_PRECISION)).toBe('26268.6');
    expect(formatPrice(26533.50564, PAPER_PRECISION)).toBe('26533.5');
    expect(formatPrice(30000, PAPER_PRECISION)).toBe('30000.0');
    expect(formatSize(0.29700000000000004, PAPER_PRECISION)).toBe('0.297');
    expect(formatSize(1, PAPER_PRECISION)).toBe('1.000');
  });

  it('counts the decimals of a step', () => {
    expect([0.1, 0.001, 1, 5, 0.25, 0.00001].map(countStepDecimals)).toEqual([1, 3, 0, 0, 2, 5]);
  });

  it('reads tick size and amount step from a ccxt market in either precision mode', () => {
    const tick = new ccxt.binanceusdm();
    tick.setMarkets([
      {
        id: 'BTCUSDT',
        symbol: 'BTC/USDT:USDT',
        base: 'BTC',
        quote: 'USDT',
        precision: { price: 0.1, amount: 0.001 },
        limits: {},
      } as unknown as ccxt.Market,
    ]);
    expect(readCcxtPrecision(tick, 'BTC/USDT:USDT')).toMatchObject({ priceTick: 0.1, amountStep: 0.001 });
    const places = new ccxt.binanceusdm();
    places.precisionMode = 2; // ccxt DECIMAL_PLACES
    places.setMarkets([
      {
        id: 'BTCUSDT',
        symbol: 'BTC/USDT:USDT',
        base: 'BTC',
        quote: 'USDT',
        precision: { price: 2, amount: 3 },
        limits: {},
      } as unknown as ccxt.Market,
    ]);
    const p = readCcxtPrecision(places, 'BTC/USDT:USDT');
    expect(p.priceTick).toBeCloseTo(0.01, 12);
    expect(p.amountStep).toBeCloseTo(0.001, 12);
    expect(formatPrice(26268.645220000002, p)).toBe('26268.65');
  });

  it('takes a live feed precision from the venue exchangeInfo (fake Binance on loopback)', async () => {
    const fake = await new FakeMarketExchange([], [], []).start();
    try {
      const ex = new ccxt.binanceusdm({ enableRateLimit: false });
      ex.fetchImplementation = fake.fetch;
      const p = await resolveMarketPrecision({ kind: 'live', exchangeId: 'binanceusdm', symbol: 'BTC/USDT:USDT' }, ex);
      expect(p).toEqual({ priceTick: 0.1, amountStep: 0.001, source: 'binanceusdm market BTC/USDT:USDT' });
      expect(fake.requests.some((r) => r.path === '/fapi/v1/exchangeInfo')).toBe(true);
    } finally {
      await fake.stop();
    }
  });

  it('uses the documented paper default for replayed feeds', async () => {
    await expect(resolveMarketPrecision({ kind: 'synthetic', seed: 1, startMs: 0, bars: 10 })).resolves.toBe(
      PAPER_PRECISION,
    );
  });
});

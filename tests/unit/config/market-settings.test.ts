import { readMarketSettings } from '../../../workers/market-settings';
import { readLlmConcurrency } from '../../../adapters/llm/config';

describe('readMarketSettings', () => {
  it('defaults to the Binance USDⓈ-M BTC/USDT perpetual', () => {
    expect(readMarketSettings({})).toEqual({ venue: 'binanceusdm', symbol: 'BTC/USDT:USDT' });
  });

  it('takes EXCHANGE_ID and DESK_SYMBOL from the environment, blanks counting as unset', () => {
    expect(readMarketSettings({ EXCHANGE_ID: 'bybit', DESK_SYMBOL: 'ETH/USDT:USDT' })).toEqual({
      venue: 'bybit',
      symbol: 'ETH/USDT:USDT',
    });
    expect(readMarketSettings({ EXCHANGE_ID: ' ', DESK_SYMBOL: '' })).toEqual({
      venue: 'binanceusdm',
      symbol: 'BTC/USDT:USDT',
    });
  });

  it('lets --venue and --symbol win over the environment', () => {
    expect(
      readMarketSettings(
        { EXCHANGE_ID: 'bybit', DESK_SYMBOL: 'ETH/USDT:USDT' },
        { venue: 'okx', symbol: 'SOL/USDT:USDT' },
      ),
    ).toEqual({ venue: 'okx', symbol: 'SOL/USDT:USDT' });
  });
});

describe('readLlmConcurrency', () => {
  it('is LLM_CONCURRENCY, else the LLM client default', () => {
    expect(readLlmConcurrency({ LLM_CONCURRENCY: '16' })).toBe(16);
    expect(readLlmConcurrency({})).toBe(4);
  });

  it('refuses a value that is not a positive integer, naming the variable', () => {
    expect(() => readLlmConcurrency({ LLM_CONCURRENCY: 'many' })).toThrow('LLM_CONCURRENCY');
  });
});

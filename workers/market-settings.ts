import { DEFAULT_SYMBOL, DEFAULT_VENUE } from '../domain/schemas/config';

/** The market a desk trades: the ccxt exchange id and the ccxt unified symbol. */
export interface MarketSettings {
  venue: string;
  symbol: string;
}

/** Command-line flags win over the environment, which wins over the defaults. */
export interface MarketFlags {
  venue?: string | undefined;
  symbol?: string | undefined;
}

/** `--venue`/`--symbol`, else EXCHANGE_ID/DESK_SYMBOL, else Binance USDⓈ-M BTC/USDT perpetual; blanks count as unset. */
export function readMarketSettings(env: NodeJS.ProcessEnv, flags: MarketFlags = {}): MarketSettings {
  const pick = (...values: (string | undefined)[]) => values.map((v) => v?.trim()).find((v) => v);
  return {
    venue: pick(flags.venue, env.EXCHANGE_ID) ?? DEFAULT_VENUE,
    symbol: pick(flags.symbol, env.DESK_SYMBOL) ?? DEFAULT_SYMBOL,
  };
}

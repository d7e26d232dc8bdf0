import { newCcxtExchange } from '../adapters/exchange/ccxt-lib';
import { CcxtGateway } from '../adapters/exchange/ccxt-gateway';
import { createLiveExchange, type LiveExchange } from '../adapters/exchange/live-exchange';
import { ClassifiedError, FailureType } from '../domain/failures';
import type { ExchangeCosts } from '../domain/schemas/config';
import { readMarketSettings } from './market-settings';

export interface LiveOptions {
  /** `--live`: orders go to the venue. Without it there is no live exchange at all. */
  live: boolean;
  /** `--real-money`: the production venue; otherwise its demo trading or sandbox. */
  realMoney: boolean;
  /** ccxt exchange id. @default EXCHANGE_ID, else Binance USDⓈ-M (workers/market-settings.ts) */
  venue?: string;
  /** @default DESK_SYMBOL, else the BTC/USDT perpetual (workers/market-settings.ts) */
  symbol?: string;
  costs?: ExchangeCosts;
}

function configError(message: string): ClassifiedError {
  return new ClassifiedError(FailureType.ConfigInvalid, message, false);
}

/** Replace every occurrence of a secret in a message (venues sometimes echo the key in an error). */
function redact(text: string, secrets: readonly string[]): string {
  return secrets.reduce((t, s) => (s.length >= 4 ? t.split(s).join('***') : t), text);
}

function redactError(e: unknown, secrets: readonly string[]): unknown {
  if (!(e instanceof Error)) return new Error(redact(String(e), secrets));
  e.message = redact(e.message, secrets);
  if (e.stack) e.stack = redact(e.stack, secrets);
  return e;
}

/** Every failure leaving the live exchange has the keys blanked out: they end up in Temporal's history and logs. */
function withRedaction(live: LiveExchange, secrets: readonly string[]): LiveExchange {
  const guard =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        return await fn(...args);
      } catch (e) {
        throw redactError(e, secrets);
      }
    };
  return { sync: guard(live.sync), execute: guard(live.execute), flatten: guard(live.flatten) };
}

/**
 * The live exchange of the exchange worker, or undefined unless `--live` was given. Demo trading
 * (or the sandbox) unless `--real-money`; keys come from EXCHANGE_API_KEY / EXCHANGE_SECRET only.
 */
export function buildLiveExchange(env: NodeJS.ProcessEnv, opts: LiveOptions): LiveExchange | undefined {
  if (!opts.live) {
    if (opts.realMoney) throw configError('--real-money needs --live');
    return undefined;
  }
  const apiKey = env.EXCHANGE_API_KEY?.trim() ?? '';
  const secret = env.EXCHANGE_SECRET?.trim() ?? '';
  const missing = [apiKey ? null : 'EXCHANGE_API_KEY', secret ? null : 'EXCHANGE_SECRET'].filter((k) => k !== null);
  if (missing.length > 0) throw configError(`--live needs ${missing.join(' and ')} in the environment or .env`);
  const market = readMarketSettings(env, opts);
  const id = market.venue;
  try {
    const exchange = newCcxtExchange(id, { apiKey, secret, enableRateLimit: true });
    if (!exchange) throw configError(`venue ${id} (--venue or EXCHANGE_ID) is not a ccxt exchange`);
    const gateway = new CcxtGateway({ exchange, symbol: market.symbol, allowMainnet: opts.realMoney });
    return withRedaction(createLiveExchange(gateway, opts.costs), [apiKey, secret]);
  } catch (e) {
    throw redactError(e, [apiKey, secret]);
  }
}

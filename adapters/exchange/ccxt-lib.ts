import type * as Ccxt from 'ccxt';

let loaded: typeof Ccxt | null = null;

/**
 * ccxt, loaded on first use. The library holds every exchange's code (~50 MB resident); a worker that
 * reads CSV or synthetic feeds and trades on paper never loads it.
 */
export function ccxtLib(): typeof Ccxt {
  // A plain require, so a test's jest.mock('ccxt') still stands in for the library.
  loaded ??= require('ccxt') as typeof Ccxt;
  return loaded;
}

/** A new ccxt exchange of class `id` (e.g. `binanceusdm`) with `options`; null when ccxt has no such exchange. */
export function newCcxtExchange(id: string, options: Record<string, unknown>): Ccxt.Exchange | null {
  const { exchanges } = ccxtLib();
  const ctor = Object.hasOwn(exchanges, id) ? (exchanges as Record<string, unknown>)[id] : undefined;
  return typeof ctor === 'function' ? new (ctor as new (o: Record<string, unknown>) => Ccxt.Exchange)(options) : null;
}

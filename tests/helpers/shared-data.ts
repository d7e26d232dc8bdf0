import { resolve } from 'node:path';

/**
 * The real market data the tests read (candles, funding, open interest, news), kept beside the
 * repository rather than in it. Resolved from this file, so a clone in any folder finds it.
 */
export const SHARED_DATA = resolve(__dirname, '../../../shared/data');

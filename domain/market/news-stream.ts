import type { NewsStream } from '../schemas/market';

// Word lists are lower-case and matched on word boundaries (prefix match for stems ending in '*').
const CRYPTO_WORDS = [
  'bitcoin',
  'btc',
  'crypto*',
  'ethereum',
  'eth',
  'ether',
  'blockchain',
  'stablecoin*',
  'satoshi',
  'binance',
  'coinbase',
  'altcoin*',
  'defi',
  'token*',
  'miner*',
  'mining',
  'halving',
  'hodl*',
  'whale*',
  'memecoin*',
  'solana',
  'xrp',
  'tether',
  'usdt',
  'usdc',
  'microstrategy',
  'saylor',
  'onchain',
  'on-chain',
  'web3',
  'nft*',
  'dogecoin',
  'doge',
  'bybit',
  'okx',
  'kraken',
  'sats',
  'lightning',
  'ordinals',
] as const;

const MACRO_WORDS = [
  'fed',
  'feds',
  'federal reserve',
  'fomc',
  'powell',
  'rate cut*',
  'rate hike*',
  'interest rate*',
  'inflation',
  'cpi',
  'ppi',
  'pce',
  'jobs',
  'payroll*',
  'nfp',
  'unemployment',
  'jobless',
  'gdp',
  'recession',
  'treasury',
  'treasuries',
  'yield*',
  'bond*',
  'stock*',
  'equities',
  's&p',
  'nasdaq',
  'dow',
  'wall street',
  'dollar',
  'dxy',
  'tariff*',
  'trade war',
  'ecb',
  'boj',
  'bank of japan',
  'bank of england',
  'central bank*',
  'monetary policy',
  'oil',
  'gold',
  'geopolitic*',
  'sanction*',
  'white house',
  'trump',
  'congress',
  'debt ceiling',
  'shutdown',
  'economy',
  'economic',
  'yuan',
  'euro',
] as const;

function toPattern(words: readonly string[]): RegExp {
  const parts = words.map((w) => {
    const stem = w.endsWith('*');
    const body = (stem ? w.slice(0, -1) : w).replace(/[.*+?^${}()|[\]\\&]/g, (m) => (m === '&' ? '&' : `\\${m}`));
    return stem ? `${body}[a-z]*` : body;
  });
  return new RegExp(`(?<![a-z0-9])(?:${parts.join('|')})(?![a-z0-9])`, 'g');
}

const CRYPTO_PATTERN = toPattern(CRYPTO_WORDS);
const MACRO_PATTERN = toPattern(MACRO_WORDS);

function countMatches(pattern: RegExp, text: string): number {
  return text.match(pattern)?.length ?? 0;
}

/**
 * Classifies a headline as `macro` (rates, inflation, jobs, equities, dollar, tariffs, central
 * banks...) or `micro` (BTC/crypto specific). A headline that names crypto is micro unless it
 * carries more macro terms than crypto terms ("Bitcoin slips as Fed, CPI and yields weigh" is macro).
 * Headlines matching neither list default to micro: the feeds are crypto feeds.
 */
export function classifyHeadline(headline: string): NewsStream {
  const text = headline.toLowerCase();
  const macro = countMatches(MACRO_PATTERN, text);
  if (macro === 0) return 'micro';
  const crypto = countMatches(CRYPTO_PATTERN, text);
  return macro > crypto ? 'macro' : 'micro';
}

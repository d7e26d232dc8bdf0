import { closedTradesOf } from '../exchange/closed-trades';
import { applyBar, closePosition, createAccount, equityOf, submitOrder } from '../exchange/paper-exchange';
import type { Step } from '../exchange/paper-account';
import { resolveBarExit } from '../exchange/paper-exits';
import { computePerformance, type EquityPoint, type PerformanceMetrics } from '../metrics/performance';
import { DEFAULT_SYMBOL } from '../schemas/config';
import type { Account, ClosedTrade } from '../schemas/account';
import type { Candle, FundingRate } from '../schemas/market';
import type { Order, Side } from '../schemas/trade';
import type { BaselineWindow } from './baseline-window';

/** One baseline run: the same metrics, curve and trades the desk's backtest reports. */
export interface BaselineResult {
  name: string;
  metrics: PerformanceMetrics;
  curve: EquityPoint[];
  trades: ClosedTrade[];
}

/**
 * A baseline's rule: the side to hold after the close of window bar `i` (null = flat), given the
 * side held now. Called at every close but the last, where the walk always ends flat.
 */
export type DecideSide = (i: number, held: Side | null) => Side | null;

/** Options of {@link walkPolicy}. */
export interface WalkOptions {
  /**
   * Call applyBar on every bar, even those that cannot change the account (for the parity test
   * of the skip in {@link canBarChangeAccount}). @default false
   */
  applyEveryBar?: boolean;
}

const NO_FUNDING: FundingRate[] = [];

/**
 * False when applyBar would only move the mark: nothing resting, and flat, or held with no funding
 * due, no time exit and no level the bar reaches (the exchange's own resolveBarExit decides).
 * Skipping those bars gives identical results and keeps 50 random runs over 12k bars fast.
 */
function canBarChangeAccount(account: Account, bar: Candle, due: readonly FundingRate[], barMs: number): boolean {
  if (account.openOrders.length > 0) return true;
  const p = account.position;
  if (!p) return false;
  if (due.length > 0) return true;
  if (p.exitByMs !== null && bar.t + barMs >= p.exitByMs) return true;
  return resolveBarExit(p, bar, true) !== null;
}

/** BTCUSDT quantity step on Binance USDⓈ-M (LOT_SIZE stepSize 0.001). */
const SIZE_STEP = 0.001;
// Protective levels so far away they never trigger: the baselines exit only on their own rule.
const FAR_BELOW = 0.01;
const FAR_ABOVE = 100;

/**
 * Largest 0.001 BTC size whose 1x margin plus taker fee fits the wallet at the slipped fill price
 * (a size of equity / close would be rejected by the exchange's margin check by the fee).
 */
function sizeForWallet(wallet: number, side: Side, close: number, w: BaselineWindow): number {
  const slip = w.costs.slippageBps / 10_000;
  const fill = side === 'long' ? close * (1 + slip) : close * (1 - slip);
  // The 1 − 1e-12 keeps a quotient that lands exactly on a step from rounding up past the wallet.
  return Math.floor((wallet / (fill * (1 + w.costs.takerFee)) / SIZE_STEP) * (1 - 1e-12)) * SIZE_STEP;
}

function enterPosition(
  account: Account,
  side: Side,
  bar: Candle,
  lastCloseMs: number,
  name: string,
  w: BaselineWindow,
): Step {
  const closeMs = bar.t + w.barMs;
  const size = sizeForWallet(account.wallet, side, bar.close, w);
  if (size < SIZE_STEP) return { account, events: [] };
  const long = side === 'long';
  const order: Order = {
    // Readable and unique per run and bar (≤ 36 characters for names up to 21 characters).
    orderId: `${name}-${closeMs}`.slice(-36),
    traderId: `baseline:${name}`,
    symbol: DEFAULT_SYMBOL,
    createdAtMs: closeMs,
    currentPrice: bar.close,
    orderType: 'market',
    limitPrice: null,
    size,
    direction: side,
    takeProfit: bar.close * (long ? FAR_ABOVE : FAR_BELOW),
    stopLoss: bar.close * (long ? FAR_BELOW : FAR_ABOVE),
    closedPrice: null,
    leverage: 1,
    liquidationPrice: 0,
    expiresAfterBars: 1,
    // Past the last close, so the exchange's time exit never fires before end_of_backtest.
    horizonBars: Math.max(1, Math.ceil((lastCloseMs - closeMs) / w.barMs) + 1),
    status: 'created',
    confidence: 0.5,
  };
  const { account: next, events } = submitOrder(account, order, bar, w.barMs, w.costs);
  // A reject (margin) leaves the account flat; the rule simply asks again at the next close.
  return { account: next, events };
}

/**
 * Walks every window bar in order through the paper exchange (fees, slippage, funding,
 * liquidation) with one rule. Marks: an opening mark at the first bar's open time with the initial
 * equity, then equity at each close after that close's decision, as the desk's backtest marks it.
 * The last close flattens ('end_of_backtest'), so final − initial = Σ realizedPnl − Σ fees + Σ funding.
 */
export function walkPolicy(
  w: BaselineWindow,
  name: string,
  decide: DecideSide,
  opts: WalkOptions = {},
): BaselineResult {
  const perfOpts = { barMs: w.barMs, initialEquity: w.initialEquity };
  const first = w.bars[0];
  if (!first) return { name, metrics: computePerformance([], [], perfOpts), curve: [], trades: [] };
  const n = w.bars.length;
  const lastCloseMs = (w.bars[n - 1] as Candle).t + w.barMs;
  let account = createAccount(w.initialEquity, first.t + w.barMs);
  const curve: EquityPoint[] = [{ t: first.t, equity: w.initialEquity, close: first.close }];
  const trades: ClosedTrade[] = [];
  const apply = (step: Step): void => {
    account = step.account;
    trades.push(...closedTradesOf(step.events));
  };

  for (let i = 0; i < n; i++) {
    const bar = w.bars[i] as Candle;
    const closeMs = bar.t + w.barMs;
    if (i > 0 && (opts.applyEveryBar || canBarChangeAccount(account, bar, w.fundingByBar[i] ?? NO_FUNDING, w.barMs))) {
      apply(applyBar(account, bar, w.barMs, w.fundingByBar[i] ?? NO_FUNDING, w.costs));
    }
    if (i === n - 1) {
      apply(closePosition(account, bar.close, closeMs, 'end_of_backtest', w.costs));
    } else {
      const held = account.position?.side ?? null;
      const wanted = decide(i, held);
      if (wanted !== held) {
        // Close first so the new side is sized from the wallet the close leaves.
        apply(closePosition(account, bar.close, closeMs, 'signal', w.costs));
        if (wanted) apply(enterPosition(account, wanted, bar, lastCloseMs, name, w));
      }
    }
    curve.push({ t: closeMs, equity: equityOf(account, bar.close), close: bar.close });
  }
  return { name, metrics: computePerformance(curve, trades, perfOpts), curve, trades };
}

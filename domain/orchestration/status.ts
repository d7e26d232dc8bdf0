import type { SessionState } from '../schemas/session';
import { buildLeaderboard } from '../population/leaderboard';
import { equityNow } from './session-state';
import { liveAlertMessage } from '../llm/llm-alert';
import { isHalted, upgradeState } from './halt-events';

/**
 * The JSON of `npm run status` (docs/architecture.md names: session, trading_state, halted, paused,
 * iterations, last_bar, equity, position, schedule). `halted` and `halt_reason` are views of the
 * trading state; `paused` is the operator's pause of the schedule.
 */
export function statusOf(recorded: SessionState, scheduleId: string | null, toIso: (ms: number) => string) {
  // A session result recorded before the trading state existed still reads.
  const state = upgradeState(recorded);
  const p = state.account.position;
  return {
    session: state.config.sessionId,
    mode: state.config.mode,
    trading_state: state.tradingState,
    trading_state_reason: state.tradingStateReason,
    /** End of the cool-down while REDUCING, else null. */
    cooldown_until: state.tradingState === 'reducing' ? toIso(state.cooldownUntilMs) : null,
    halted: isHalted(state),
    halt_reason: isHalted(state) ? state.tradingStateReason : null,
    paused: state.paused,
    iterations: state.round,
    last_bar: state.lastBarCloseMs === null ? null : toIso(state.lastBarCloseMs),
    last_decision: state.lastDecision,
    equity: equityNow(state.account),
    wallet: state.account.wallet,
    position: p
      ? {
          side: p.side,
          size: p.size,
          entry_price: p.entryPrice,
          liquidation_price: p.liquidationPrice,
          stop_loss: p.stopLoss,
          take_profit: p.takeProfit,
        }
      : null,
    open_orders: state.account.openOrders.length,
    fees: state.account.fees,
    funding: state.account.funding,
    schedule: scheduleId,
    llm: state.usage,
    /** The settings in force, live changes included (docs/live-changes.md); llm_choice null = the LLM worker's env default. */
    risk_limits: state.config.risk,
    llm_choice: state.config.llm ?? null,
    llm_alert: state.llmAlert ? liveAlertMessage(state.llmAlert) : null,
    leaderboard: buildLeaderboard(state.populations, state.learning),
    events: state.events.slice(-10),
    /** Recent halts, cool-downs and resumes. */
    halts: state.halts.slice(-20),
    recent_trades: state.recentTrades.slice(-5),
  };
}
export type SessionStatus = ReturnType<typeof statusOf>;

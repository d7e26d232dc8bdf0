import { FailureType } from '../failures';
import { formatIsoUtc } from '../metrics/civil-time';
import type { LlmUsage } from '../schemas/llm';

/**
 * The operator alert an iteration raises when the provider refused the credentials (401/403): a
 * wrong or revoked key does not heal, so a backtest stops and a live session halts LLM use loudly
 * instead of trading on the offline reasoner without a word. Null when nothing needs the operator.
 */
export function llmAlertOf(usage: LlmUsage, barCloseMs: number): string | null {
  const refused = usage.failures?.[FailureType.LlmAuth] ?? 0;
  if (refused === 0) return null;
  return `LLM authentication or permission refused by the provider (${FailureType.LlmAuth}, ${refused} step(s) at bar ${formatIsoUtc(barCloseMs)}): a wrong or revoked key does not heal`;
}

/** The backtest's closing message for an alert: what happened and what to do. */
export function backtestStopMessage(alert: string): string {
  return `backtest stopped: ${alert}. Fix OPENAI_API_KEY / ANTHROPIC_API_KEY (and LLM_PROVIDER, LLM_BASE_URL) or run with LLM_PROVIDER=heuristic`;
}

/** The live session's status line for an alert. */
export function liveAlertMessage(alert: string): string {
  return `${alert}; LLM use is halted and the offline reasoner answers. Fix the key, restart the workers, then npm run resume`;
}

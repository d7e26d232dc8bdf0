import { estimateTokens, priceTokens, type ModelPrice } from '../../domain/llm/price-usage';
import type { ChatMessage } from '../../domain/llm/build-prompt';
import type { LlmConfig } from './config';
import type { CostLedger } from './cost-ledger';

/**
 * Checks the session and UTC-day budgets before a call. The next call's cost is estimated high
 * (prompt at ~4 chars/token, the full maxTokens out), so a run stops one call early rather than one late.
 * Returns the reason when the call must not be made, else null.
 */
export async function checkBudget(
  config: LlmConfig,
  ledger: CostLedger,
  price: ModelPrice | null,
  messages: readonly ChatMessage[],
  sessionId: string,
  nowMs: number,
): Promise<string | null> {
  const estimate = priceTokens(price, estimateTokens(messages.map((m) => m.content).join('')), config.maxTokens);
  const session = (await ledger.sessionTotal(sessionId)).costUsd;
  const day = (await ledger.dayTotal(nowMs)).costUsd;
  if (session >= config.budgetSessionUsd || session + estimate > config.budgetSessionUsd) {
    return `LLM budget exhausted: session ${sessionId} spent $${session.toFixed(4)} of $${config.budgetSessionUsd.toFixed(2)} (next call est. $${estimate.toFixed(4)})`;
  }
  if (day >= config.budgetDayUsd || day + estimate > config.budgetDayUsd) {
    return `LLM budget exhausted: UTC day spent $${day.toFixed(4)} of $${config.budgetDayUsd.toFixed(2)} (next call est. $${estimate.toFixed(4)})`;
  }
  return null;
}

import { ClassifiedError, FailureType } from '../domain/failures';
import type { Feed, LlmChoice } from '../domain/schemas/config';
import type { StepContext } from '../domain/schemas/steps';
import type { MarketData } from '../adapters/market/market-data-port';
import type { NewsSource } from '../adapters/news/news-source';
import type { Llm } from '../adapters/llm/types';
import type { BlobStore } from '../adapters/store/blob-store';
import type { RiskLog } from '../adapters/risk-log/risk-log';
import type { RunLog } from '../adapters/store/run-log';
import type { LiveExchange } from '../adapters/exchange/live-exchange';

/** Everything the activities need from the outside world; built by a composition root (workers/, the fast runner). */
export interface ActivityDeps {
  blobs: BlobStore;
  market(feed: Feed): MarketData;
  news(feed: Feed): NewsSource | null;
  /** The worker's default LLM (LLM_PROVIDER, LLM_MODEL). Steps ask `llmOf(deps, ctx)`, which honours the session's choice. */
  llm: Llm;
  /** The client for a session's `setLlm` choice, built from this worker's env (workers/build-deps.ts). */
  chooseLlm?(choice: LlmChoice): Llm;
  riskLog: RiskLog;
  runLog: RunLog;
  /** Pause/unpause a Temporal Schedule (absent in the fast runner). */
  setSchedulePaused?(scheduleId: string, paused: boolean, note: string): Promise<void>;
  /** Live execution (absent unless explicitly enabled with keys). */
  live?: LiveExchange;
  /** Ask the LLM to review M-A verdicts (it may only add reasons). @default false */
  llmRiskReview?: boolean;
  /** 4h bars kept in each snapshot. @default SNAPSHOT_LOOKBACK_BARS (domain/market/history-bars.ts) */
  lookback?: number;
  now(): number;
  /**
   * In-process caller (the fast runner): inputs are the orchestration's own objects, built from
   * schema-checked outputs, so activities skip re-parsing them. Never set on a Temporal worker.
   * @default false
   */
  trustInputs?: boolean;
}

/** The LLM a step asks: the session's choice (`ctx.llm`, from `setLlm`) if it made one, else the worker's default. */
export function llmOf(deps: ActivityDeps, ctx: StepContext): Llm {
  if (!ctx.llm) return deps.llm;
  if (!deps.chooseLlm)
    throw new ClassifiedError(
      FailureType.LlmBadRequest,
      `the session chose LLM ${ctx.llm.provider} (setLlm), but this worker has no LLM chooser`,
      false,
    );
  return deps.chooseLlm(ctx.llm);
}

/** The shared LLM layer: one import for composition roots and activities. */
export type { Llm, Reasoned, ReasoningTask } from './types';
export { LlmConfigSchema, LlmConfigError, loadLlmConfig, type LlmConfig, type LlmConfigInput } from './config';
export { createLlm, createHeuristicLlm, type CreateLlmDeps } from './create-llm';
export { JsonlCostLedger, MemoryCostLedger, type CostLedger, type CostRecord } from './cost-ledger';
export { DEFAULT_PRICES } from './prices';
export { Secret } from './secret';
export type { LlmCallRecord, LlmRequest } from './sdk-llm';

/** The task queues one desk runs on, each named after the base queue its workers were started with. */
export interface TaskQueues {
  /** Workflows and the pure steps. */
  orchestration: string;
  /** Steps that call the shared LLM: its worker concurrency matches the provider's limits. */
  llm: string;
  /** Steps that touch the exchange: the only workers holding exchange keys. */
  exchange: string;
  /** Backtest sweep runs: each takes a core for minutes, so they never delay the trading queues. */
  research: string;
}

export type QueueKind = keyof TaskQueues;

export function taskQueuesFor(base: string): TaskQueues {
  return { orchestration: base, llm: `${base}-llm`, exchange: `${base}-exchange`, research: `${base}-research` };
}

import type { Client } from '@temporalio/client';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import type { LlmCallRecord } from '../adapters/llm/sdk-llm';
import type { BlobStore } from '../adapters/store/blob-store';

/** One completed activity of an iteration, read from history (no worker needed). */
export interface StepResult {
  workflowId: string;
  activityType: string;
  /** The worker identity that ran the recorded attempt. */
  worker: string | null;
  attempt: number;
  result: unknown;
}

/** What an agent saw and answered: the LLM record its output's provenance points to. */
export interface LlmExchange {
  workflowId: string;
  activityType: string;
  agentId: string | null;
  source: string;
  hash: string;
  /** null when the shared store lacks the record: printed as such, never skipped. */
  record: LlmCallRecord | null;
}

/** The iteration and its risk-review / knowledge-transfer children: every workflow an LLM step can run in. */
export function iterationWorkflowIds(iterationId: string): string[] {
  return [iterationId, `${iterationId}-risk`, `${iterationId}-kt`];
}

/** Completed activities of one workflow with their decoded results; an unknown id yields []. */
export async function readStepResults(client: Client, workflowId: string): Promise<StepResult[]> {
  const history = await client.workflow
    .getHandle(workflowId)
    .fetchHistory()
    .catch((err: unknown) => {
      if (String(err).includes('not found')) return null;
      throw err;
    });
  const scheduled = new Map<string, string>();
  const started = new Map<string, { worker: string | null; attempt: number }>();
  const out: StepResult[] = [];
  for (const e of history?.events ?? []) {
    const id = String(e.eventId);
    const s = e.activityTaskScheduledEventAttributes;
    if (s) scheduled.set(id, s.activityType?.name ?? '?');
    const st = e.activityTaskStartedEventAttributes;
    if (st) started.set(String(st.scheduledEventId), { worker: st.identity ?? null, attempt: st.attempt ?? 1 });
    const c = e.activityTaskCompletedEventAttributes;
    if (c) {
      const key = String(c.scheduledEventId);
      const payload = c.result?.payloads?.[0] as Payload | undefined;
      out.push({
        workflowId,
        activityType: scheduled.get(key) ?? '?',
        worker: started.get(key)?.worker ?? null,
        attempt: started.get(key)?.attempt ?? 1,
        result: payload ? defaultPayloadConverter.fromPayload(payload) : null,
      });
    }
  }
  return out;
}

/** Every LLM-backed output (provenance with a record hash) in a step result, with the agent it belongs to. */
export function findProvenances(
  value: unknown,
  agentId: string | null = null,
): Array<{ agentId: string | null; source: string; hash: string }> {
  if (Array.isArray(value)) return value.flatMap((v) => findProvenances(v, agentId));
  if (!value || typeof value !== 'object') return [];
  const o = value as Record<string, unknown>;
  const agent = typeof o.agentId === 'string' ? o.agentId : agentId;
  const p = o.provenance as { source?: unknown; hash?: unknown } | undefined;
  const own =
    p && typeof p.hash === 'string' && typeof p.source === 'string'
      ? [{ agentId: agent, source: p.source, hash: p.hash }]
      : [];
  return [
    ...own,
    ...Object.entries(o)
      .filter(([k]) => k !== 'provenance')
      .flatMap(([, v]) => findProvenances(v, agent)),
  ];
}

/** The LLM exchanges of one iteration, each record read from the shared claim-check store. */
export async function readLlmExchanges(
  client: Client,
  iterationId: string,
  llmBlobs: BlobStore,
): Promise<LlmExchange[]> {
  const out: LlmExchange[] = [];
  for (const workflowId of iterationWorkflowIds(iterationId)) {
    for (const step of await readStepResults(client, workflowId)) {
      for (const p of findProvenances(step.result)) {
        out.push({
          workflowId,
          activityType: step.activityType,
          ...p,
          record: await llmBlobs.get<LlmCallRecord>(p.hash),
        });
      }
    }
  }
  return out;
}

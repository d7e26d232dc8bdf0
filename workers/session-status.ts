import type { Client, WorkflowExecutionDescription } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { defaultPayloadConverter } from '@temporalio/common';
import type { IterationOutcome } from '../domain/orchestration/run-iteration';
import { applyIteration, withStoredChanges, workingStateOf } from '../domain/orchestration/session-loop';
import type { LearningState } from '../domain/schemas/learning';
import type { Populations } from '../domain/schemas/agents';
import type { SessionState } from '../domain/schemas/session';
import type { EvaluateChanges } from '../domain/schemas/steps';
import { type BlobStore, FileBlobStore } from '../adapters/store/blob-store';
import type { IterationInput } from '../workflows/iteration';
import { statusOf, type SessionStatus } from '../domain/orchestration/status';
import { statusQuery } from '../workflows/messages';
import type { SessionResult } from '../workflows/session';
import { scheduleIdFor } from './client';
import { tradingIterationWorkflow } from '../workflows/iteration';
import { blobDir } from './env';
import { listPendingApprovals, type PendingApprovalRow } from './approvals';

/** `npm run status` without its schedule part: live when a worker answers, else rebuilt from history and marked stale. */
export type ReadStatus = Partial<SessionStatus> & {
  workflow_status: string;
  /** true when the figures are not the session's live state (no worker answered). */
  stale: boolean;
  stale_reason: string | null;
  /** The iteration whose recorded result the stale figures come from. */
  as_of_iteration: string | null;
  /** Iterations that failed after that one (their bars traded nothing). */
  failed_iterations_since: number;
  memo: Record<string, unknown>;
  search_attributes: Record<string, unknown>;
  /** Orders waiting for the operator (docs/approval.md), each with its approve/reject command. */
  pending_approvals: PendingApprovalRow[];
};

const toIso = (ms: number) => new Date(ms).toISOString();

/**
 * A running session's status comes from its query, which needs a worker. When none polls the
 * session's task queue, or none answers within `queryTimeoutMs`, the status is rebuilt from the last
 * completed iteration's result in history (plus the session's memo and search attributes) and says so.
 */
export async function readSessionStatus(
  client: Client,
  sessionId: string,
  opts: {
    queryTimeoutMs?: number;
    /** Where the rebuilt status reads the iteration's learning state (its ref). @default the shared --blob-dir (DESK_BLOB_DIR) */
    blobs?: BlobStore;
  } = {},
): Promise<ReadStatus> {
  const handle = client.workflow.getHandle(sessionId);
  const described = await handle.describe();
  const common = {
    workflow_status: described.status.name,
    memo: described.memo ?? {},
    search_attributes: plain(described.searchAttributes),
    pending_approvals:
      described.status.name === 'RUNNING'
        ? await listPendingApprovals(client, sessionId, { queryTimeoutMs: opts.queryTimeoutMs ?? 5000 })
        : [],
  };
  const fresh = { stale: false, stale_reason: null, as_of_iteration: null, failed_iterations_since: 0 };
  if (described.status.name === 'COMPLETED') {
    const result = (await handle.result()) as SessionResult;
    return { ...statusOf(result.state, scheduleIdFor(sessionId), toIso), ...common, ...fresh };
  }
  let why: string;
  if (described.status.name !== 'RUNNING') why = `the session is ${described.status.name} and left no result`;
  else if ((await pollersOf(client, described)) === 0) why = `no worker polls task queue ${described.taskQueue}`;
  else {
    try {
      // A deadline on the call itself: nothing is left pending on the connection when it gives up.
      const live = await client.withDeadline(Date.now() + (opts.queryTimeoutMs ?? 5000), () =>
        handle.query(statusQuery),
      );
      return { ...live, ...common, ...fresh };
    } catch (err) {
      const cause = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : '';
      why = `the session did not answer its status query (${err instanceof Error ? err.message : String(err)}${cause})`;
    }
  }
  const blobs = opts.blobs ?? new FileBlobStore(blobDir());
  return { ...(await fromLastIteration(client, sessionId, why, blobs)), ...common };
}

async function fromLastIteration(client: Client, sessionId: string, why: string, blobs: BlobStore) {
  const base = `WorkflowType = '${tradingIterationWorkflow.name}' AND DeskSession = '${sessionId.replace(/'/g, '')}'`;
  let last: { id: string; barMs: number } | null = null;
  for await (const w of client.workflow.list({ query: `${base} AND ExecutionStatus = 'Completed'` })) {
    const barMs = barMsOf(w.searchAttributes);
    if (barMs !== null && (last === null || barMs > last.barMs)) last = { id: w.workflowId, barMs };
  }
  let failedSince = 0;
  for await (const w of client.workflow.list({
    query: `${base} AND ExecutionStatus IN ('Failed', 'TimedOut', 'Terminated')`,
  })) {
    if ((barMsOf(w.searchAttributes) ?? 0) > (last?.barMs ?? -1)) failedSince++;
  }
  const stale = { stale: true, failed_iterations_since: failedSince };
  if (!last)
    return {
      ...stale,
      session: sessionId,
      stale_reason: `${why}; no iteration has completed yet, so there are no figures`,
      as_of_iteration: null,
    };
  const state = await stateAfterIteration(client, last.id, blobs);
  return {
    ...statusOf(state, scheduleIdFor(sessionId), toIso),
    ...stale,
    as_of_iteration: last.id,
    stale_reason: `${why}: figures as of the last completed iteration (bar ${toIso(last.barMs)}); halts, pauses or resumes signalled since then are not in them; LLM usage, events and recent trades are that bar's only`,
  };
}

/** The fund after a completed iteration: its recorded input with its result applied (the session's own logs are not in either). */
async function stateAfterIteration(client: Client, workflowId: string, blobs: BlobStore): Promise<SessionState> {
  const handle = client.workflow.getHandle(workflowId);
  const outcome = (await handle.result()) as
    IterationOutcome | { report: IterationOutcome['report']; state: SessionState };
  if ('state' in outcome) return outcome.state;
  const history = await handle.fetchHistory();
  const payload = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
  if (!payload) throw new Error(`iteration ${workflowId}: its history has no input to rebuild the fund from`);
  const input = defaultPayloadConverter.fromPayload<IterationInput>(payload);
  // The iteration read views; the states it started from are in the shared store under their refs.
  const stored = async <T>(ref: string, what: string): Promise<T> => {
    const value = await blobs.getNamed<T>(ref);
    if (!value)
      throw new Error(
        `iteration ${workflowId}: its ${what} ${ref} is not in the blob store (DESK_BLOB_DIR or --blob-dir): no status to rebuild`,
      );
    return value;
  };
  const populations = await stored<Populations>(input.fund.populations.ref, 'populations');
  const learning = await stored<LearningState>(input.fund.learning.ref, 'learning state');
  // E's changes too: a stale status that cannot read them shows the states the bar started from.
  const resolved = await withStoredChanges(
    outcome,
    (ref) => stored<EvaluateChanges>(ref, "Evaluator's changes"),
    () => undefined,
  );
  return applyIteration({ ...workingStateOf(input.fund), populations, learning }, resolved);
}

async function pollersOf(client: Client, described: WorkflowExecutionDescription): Promise<number> {
  const res = await client.workflowService.describeTaskQueue({
    namespace: client.options.namespace,
    taskQueue: { name: described.taskQueue, kind: temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
    taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
  });
  return res.pollers?.length ?? 0;
}

function barMsOf(attrs: unknown): number | null {
  const v = (attrs as Record<string, unknown[] | undefined> | undefined)?.DeskBarTime?.[0];
  const ms = v instanceof Date ? v.getTime() : typeof v === 'string' ? Date.parse(v) : NaN;
  return Number.isFinite(ms) ? ms : null;
}

function plain(attrs: unknown): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries((attrs ?? {}) as Record<string, unknown[]>).map(([k, v]) => [
      k,
      Array.isArray(v) && v.length === 1 ? v[0] : v,
    ]),
  );
}

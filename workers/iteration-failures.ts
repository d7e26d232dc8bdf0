import type { Client } from '@temporalio/client';
import { type FailureNode, type FailureSummary, summarizeFailure } from './failure-chain';
import { tradingIterationWorkflow } from '../workflows/iteration';

/** One failed step attempt or failed iteration, for `npm start` to print as it happens. */
export interface IterationFailure extends FailureSummary {
  iterationId: string;
  /** The bar close (ISO) the iteration was for; null when its search attribute is missing. */
  bar: string | null;
  /** 'failed': the iteration ended without a result; 'retrying': a step attempt failed and will run again. */
  kind: 'failed' | 'retrying';
  attempt: number | null;
}

export function formatFailure(f: IterationFailure): string {
  const what = f.kind === 'failed' ? 'iteration FAILED' : `step attempt ${f.attempt ?? '?'} failed, retrying`;
  return `[${f.bar ?? '?'}] ${what}: ${f.step ?? '-'} ${f.type}: ${f.message} (${f.iterationId})`;
}

/**
 * Finds the session's iteration failures through visibility and history, so it needs no worker and no
 * workflow change: failed/timed-out/terminated iterations closed since `sinceMs`, and failed attempts of
 * the steps still pending in running iterations. Each is reported once.
 */
export function createFailureWatcher(client: Client, sessionId: string, sinceMs: number) {
  const seen = new Set<string>();
  const base = `WorkflowType = '${tradingIterationWorkflow.name}' AND DeskSession = '${sessionId.replace(/'/g, '')}'`;
  const closedSince = new Date(sinceMs).toISOString();

  async function closed(): Promise<IterationFailure[]> {
    const out: IterationFailure[] = [];
    const query = `${base} AND ExecutionStatus IN ('Failed', 'TimedOut', 'Terminated') AND CloseTime >= '${closedSince}'`;
    for await (const w of client.workflow.list({ query })) {
      if (seen.has(w.workflowId)) continue;
      seen.add(w.workflowId);
      out.push({
        iterationId: w.workflowId,
        bar: barOf(w.searchAttributes),
        kind: 'failed',
        attempt: null,
        ...(await closingFailure(client, w.workflowId)),
      });
    }
    // Visibility lists the newest first; an operator reads failures in bar order.
    return out.sort(byBar);
  }

  async function retrying(): Promise<IterationFailure[]> {
    const out: IterationFailure[] = [];
    for await (const w of client.workflow.list({ query: `${base} AND ExecutionStatus = 'Running'` })) {
      const d = await client.workflow
        .getHandle(w.workflowId)
        .describe()
        .catch(() => null);
      for (const p of d?.raw.pendingActivities ?? []) {
        const attempt = p.attempt ?? 1;
        // The pending attempt is the next one: its predecessor's failure is `lastFailure`.
        if (!p.lastFailure || attempt < 2) continue;
        const key = `${w.workflowId}/${p.activityId}/${attempt}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const summary = summarizeFailure(p.lastFailure as FailureNode);
        out.push({
          iterationId: w.workflowId,
          bar: barOf(w.searchAttributes),
          kind: 'retrying',
          attempt: attempt - 1,
          ...summary,
          step: p.activityType?.name ?? summary.step,
        });
      }
    }
    return out;
  }

  return {
    /** New failures since the last poll, oldest first within each kind. */
    async poll(): Promise<IterationFailure[]> {
      return [...(await retrying()), ...(await closed())];
    },
  };
}

/** The failure an iteration closed with, from the last event of its history. */
async function closingFailure(client: Client, workflowId: string): Promise<FailureSummary> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const last = history.events?.at(-1);
  if (last?.workflowExecutionFailedEventAttributes)
    return summarizeFailure(last.workflowExecutionFailedEventAttributes.failure as FailureNode);
  if (last?.workflowExecutionTimedOutEventAttributes)
    return { step: null, type: 'Timeout.Execution', message: 'the iteration ran past its execution timeout' };
  if (last?.workflowExecutionTerminatedEventAttributes)
    return {
      step: null,
      type: 'Terminated',
      message: last.workflowExecutionTerminatedEventAttributes.reason || 'terminated',
    };
  return { step: null, type: 'Unknown', message: 'closed without a result' };
}

/** Oldest bar first; failures without a bar (a missing search attribute) last. */
function byBar(a: IterationFailure, b: IterationFailure): number {
  return (a.bar ?? '\uffff').localeCompare(b.bar ?? '\uffff');
}

function barOf(attrs: unknown): string | null {
  const v = (attrs as Record<string, unknown[] | undefined> | undefined)?.DeskBarTime?.[0];
  return v instanceof Date ? v.toISOString() : typeof v === 'string' ? new Date(v).toISOString() : null;
}

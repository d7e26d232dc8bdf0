import type { Client } from '@temporalio/client';
import type { ApprovalDecision, PendingApproval } from '../domain/schemas/approval';
import { approveOrderUpdate, pendingApprovalQuery, rejectOrderUpdate } from '../workflows/approval';
import { tradingIterationWorkflow } from '../workflows/iteration';
import { tradingSessionWorkflow } from '../workflows/session';

/** One order waiting for the operator, as `npm run status` prints it (docs/approval.md). */
export interface PendingApprovalRow {
  iteration: string;
  order_id: string | null;
  side: string | null;
  size: number | null;
  order_type: string | null;
  price: number | null;
  notional: number | null;
  above_notional: number | null;
  asked_at: string | null;
  deadline: string | null;
  approve: string;
  reject: string;
  /** Set when the iteration did not answer its pendingApproval query (e.g. no worker runs): the rest is null. */
  error?: string;
}

const quote = (s: string) => s.replace(/'/g, '');

/** Running iterations of a session whose order waits for approval (`DeskApproval = 'pending'`), by visibility query. */
export async function pendingIterationsOf(client: Client, sessionId: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const w of client.workflow.list({
    query: `WorkflowType = '${tradingIterationWorkflow.name}' AND DeskSession = '${quote(sessionId)}' AND DeskApproval = 'pending' AND ExecutionStatus = 'Running'`,
  }))
    ids.push(w.workflowId);
  return ids.sort();
}

/** The order an iteration waits on, or null when none waits (never asked, or already decided). */
export async function queryPendingApproval(
  client: Client,
  iterationId: string,
  timeoutMs = 5000,
): Promise<PendingApproval | null> {
  return client.withDeadline(Date.now() + timeoutMs, () =>
    client.workflow.getHandle(iterationId).query(pendingApprovalQuery),
  );
}

/** Every order of the session waiting for approval, with its approve/reject commands. */
export async function listPendingApprovals(
  client: Client,
  sessionId: string,
  opts: { queryTimeoutMs?: number } = {},
): Promise<PendingApprovalRow[]> {
  const rows: PendingApprovalRow[] = [];
  for (const iteration of await pendingIterationsOf(client, sessionId)) {
    const commands = {
      approve: `npm run approve -- ${iteration}`,
      reject: `npm run approve -- ${iteration} --reject "reason"`,
    };
    try {
      const p = await queryPendingApproval(client, iteration, opts.queryTimeoutMs);
      // Decided between the visibility query and this one: no longer pending.
      if (p === null) continue;
      rows.push({
        iteration,
        order_id: p.orderId,
        side: p.side,
        size: p.size,
        order_type: p.orderType,
        price: p.price,
        notional: p.notional,
        above_notional: p.aboveNotional,
        asked_at: new Date(p.askedAtMs).toISOString(),
        deadline: new Date(p.deadlineMs).toISOString(),
        ...commands,
      });
    } catch (err) {
      rows.push({
        iteration,
        order_id: null,
        side: null,
        size: null,
        order_type: null,
        price: null,
        notional: null,
        above_notional: null,
        asked_at: null,
        deadline: null,
        ...commands,
        error: `the iteration did not answer its pendingApproval query (is a worker running?): ${err instanceof Error ? err.message : String(err)}`,
      });
    }
  }
  return rows;
}

/**
 * Which iteration `npm run approve -- ID` means: an iteration workflow id as given, or a session id
 * (then its one iteration with an order waiting). Returns the iteration and the order that waits;
 * throws with what is wrong otherwise.
 */
export async function resolveApprovalTarget(
  client: Client,
  id: string,
): Promise<{ iterationId: string; pending: PendingApproval }> {
  const described = await client.workflow
    .getHandle(id)
    .describe()
    .catch((err: unknown) => {
      throw new Error(`no workflow ${id}: give an iteration workflow id or a session id (${String(err)})`);
    });
  let iterationId = id;
  if (described.type === tradingSessionWorkflow.name) {
    const waiting = await pendingIterationsOf(client, id);
    if (waiting.length === 0) throw new Error(`session ${id} has no order waiting for approval`);
    if (waiting.length > 1)
      throw new Error(
        `session ${id} has ${waiting.length} orders waiting (${waiting.join(', ')}): give the iteration id`,
      );
    iterationId = waiting[0]!;
  } else if (described.type !== tradingIterationWorkflow.name) {
    throw new Error(`${id} is a ${described.type}, not an iteration or a session`);
  } else if (described.status.name !== 'RUNNING') {
    throw new Error(`iteration ${id} is ${described.status.name}: no order waits for approval there`);
  }
  const pending = await queryPendingApproval(client, iterationId);
  if (pending === null) throw new Error(`iteration ${iterationId} has no order waiting for approval`);
  return { iterationId, pending };
}

/** Sends the operator's decision as an Update and returns the decision the iteration recorded. */
export async function decideApproval(
  client: Client,
  target: { iterationId: string; pending: PendingApproval },
  decision: { reject: string | null; by: string },
): Promise<ApprovalDecision> {
  const handle = client.workflow.getHandle(target.iterationId);
  const orderId = target.pending.orderId;
  return decision.reject === null
    ? handle.executeUpdate(approveOrderUpdate, { args: [{ orderId, by: decision.by }] })
    : handle.executeUpdate(rejectOrderUpdate, { args: [{ orderId, reason: decision.reject, by: decision.by }] });
}

/** The main job's console: one line per order as it starts waiting, with the command that answers it. */
export function createApprovalPrinter(
  client: Client,
  sessionId: string,
  print: (line: string) => void,
): () => Promise<void> {
  const seen = new Set<string>();
  return async () => {
    const rows = await listPendingApprovals(client, sessionId, { queryTimeoutMs: 2000 }).catch(() => []);
    for (const r of rows) {
      if (r.order_id === null || seen.has(r.order_id)) continue;
      seen.add(r.order_id);
      print(
        `APPROVAL NEEDED: ${r.side} ${r.size} @ ${r.price} notional ${r.notional?.toFixed(2)} > ${r.above_notional} (order ${r.order_id}), deadline ${r.deadline}: ${r.approve}   or   ${r.reject}`,
      );
    }
  };
}

/**
 * `npm run approve -- [ITERATION_ID | SESSION_ID] [--reject "reason"] [--by NAME]`: the operator's
 * decision on an order waiting for approval (docs/approval.md). Sends the iteration workflow's
 * `approveOrder` (or `rejectOrder`) Update for the order that waits and prints the recorded decision.
 * With a session id, or no id (the one running session), it answers that session's waiting order.
 */
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { formatIsoUtc } from '../domain/metrics/civil-time';
import { connectClient } from '../workers/client';
import { decideApproval, resolveApprovalTarget } from '../workers/approvals';
import { resolveSessionId } from './session-target';

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      reject: { type: 'string' },
      by: { type: 'string' },
      session: { type: 'string' },
    },
  });
  if (positionals.length > 1)
    throw new Error(`one iteration or session id, got ${positionals.length}: ${positionals.join(' ')}`);
  if (values.reject !== undefined && values.reject.trim() === '')
    throw new Error('--reject needs a reason, e.g. --reject "too large before the FOMC"');
  const client = await connectClient();
  try {
    const id = positionals[0] ?? (await resolveSessionId(client, values.session));
    const target = await resolveApprovalTarget(client, id);
    const p = target.pending;
    console.log(
      `${target.iterationId}: order ${p.orderId} ${p.side} ${p.size} ${p.orderType} @ ${p.price}, notional ${p.notional.toFixed(2)} (> ${p.aboveNotional}), deadline ${formatIsoUtc(p.deadlineMs)}`,
    );
    const decision = await decideApproval(client, target, {
      reject: values.reject ?? null,
      by: values.by ?? operatorName(),
    });
    console.log(
      JSON.stringify({ iteration: target.iterationId, ...decision, at: formatIsoUtc(decision.atMs) }, null, 2),
    );
  } finally {
    await client.connection.close();
  }
}

function operatorName(): string {
  try {
    return userInfo().username || 'operator';
  } catch {
    return 'operator';
  }
}

main().catch((err) => {
  // A refused Update (validator) arrives as "Workflow Update failed" with the reason as its cause.
  const cause = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : '';
  console.error(`approve failed: ${err instanceof Error ? err.message : String(err)}${cause}`);
  process.exit(1);
});

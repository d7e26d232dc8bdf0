import { execFile, execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { iterationIdFor } from '../../domain/orchestration/run-iteration';
import type { SessionConfig } from '../../domain/schemas/config';
import type { IterationReport } from '../../domain/schemas/session';
import { MemoryRunLog } from '../../adapters/store/run-log';
import { runFastBacktest } from '../../workers/fast-runner';
import { buildSessionConfig } from '../../workers/session-config';
import { readSessionStatus } from '../../workers/session-status';
import { temporalCliPath } from '../../workers/temporal-server';
import { approveOrderUpdate, pendingApprovalQuery, rejectOrderUpdate } from '../../workflows/approval';
import type { IterationOutcome } from '../../domain/orchestration/run-iteration';
import { emergencyStopSignal, statusQuery } from '../../workflows/messages';
import { tradingSessionWorkflow } from '../../workflows/session';
import { eventually, startTestTemporal, startWorkers, testDeps, type TestTemporal } from '../helpers/temporal';

const ROOT = resolve(__dirname, '../..');
const FEED = { kind: 'synthetic', seed: 11, startMs: Date.UTC(2024, 0, 1), bars: 600 } as const;

/**
 * A session whose first bar's order (short 0.189 BTC, notional ≈ 3,636 on this feed and config) is
 * above the approval threshold: its iteration waits for the operator. One iteration, then the session ends.
 */
async function approvalConfig(name: string, timeoutMs?: number): Promise<SessionConfig> {
  return buildSessionConfig({
    sessionId: `approval-${name}-${Date.now()}`,
    mode: 'backtest',
    feed: FEED,
    // Any positive net edge trades at full size, so the first bar proposes an order the risk manager approves.
    risk: { minConfidence: 0.5 },
    sizing: { edgeMargin: 0, skillGate: false, kellyFraction: 1 },
    approval: { aboveNotional: 1_000, ...(timeoutMs ? { timeoutMs } : {}) },
    maxIterations: 1,
  });
}

/** Runs a repository script in its own process against the test server (async: the workers share this event loop). */
function runScript(
  script: string,
  args: string[],
  address: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) =>
    execFile(
      process.execPath,
      [resolve(ROOT, 'node_modules/.bin/tsx'), script, ...args],
      { cwd: ROOT, env: { ...process.env, TEMPORAL_ADDRESS: address }, timeout: 120_000 },
      (err, stdout, stderr) => done({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    ),
  );
}

async function searchAttribute(t: TestTemporal, workflowId: string, key: string): Promise<unknown> {
  const d = await t.client.workflow.getHandle(workflowId).describe();
  return (d.searchAttributes as Record<string, unknown[] | undefined>)[key]?.[0];
}

async function updateEvents(t: TestTemporal, workflowId: string): Promise<string[]> {
  const { events } = await t.client.workflow.getHandle(workflowId).fetchHistory();
  return (events ?? []).flatMap((e) =>
    e.workflowExecutionUpdateAcceptedEventAttributes
      ? ['accepted']
      : e.workflowExecutionUpdateCompletedEventAttributes
        ? ['completed']
        : e.workflowExecutionUpdateAdmittedEventAttributes
          ? ['admitted']
          : [],
  );
}

describe('human approval of large orders on a real Temporal dev server', () => {
  let t: TestTemporal;
  let w: Awaited<ReturnType<typeof startWorkers>>;
  const runLog = new MemoryRunLog();
  const taskQueue = `approval-${Date.now()}`;

  beforeAll(async () => {
    t = await startTestTemporal();
    w = await startWorkers(t, taskQueue, testDeps({ runLog }));
  });
  afterAll(async () => {
    await w?.stop();
    await t?.close();
  });

  /** Starts a session and waits until its first iteration's order waits for approval. */
  async function startWaiting(config: SessionConfig) {
    const session = await t.client.workflow.start(tradingSessionWorkflow, {
      taskQueue,
      workflowId: config.sessionId,
      args: [{ config, scheduleId: null }],
    });
    const iterationId = iterationIdFor(config.sessionId, config.fromMs!);
    const iteration = t.client.workflow.getHandle(iterationId);
    const pending = await eventually(() => iteration.query(pendingApprovalQuery), 'the order waiting for approval');
    return { session, iterationId, iteration, pending };
  }

  it('approve: status lists the waiting order; a wrong order id is refused and leaves nothing in history; npm run approve trades it', async () => {
    const config = await approvalConfig('approve');
    const { session, iterationId, iteration, pending } = await startWaiting(config);
    expect(pending).toMatchObject({ iterationId, side: 'short', aboveNotional: 1_000 });
    expect(pending.notional).toBeGreaterThan(1_000);
    expect(pending.deadlineMs - pending.askedAtMs).toBe(15 * 60_000);
    await eventually(
      async () => (await searchAttribute(t, iterationId, 'DeskApproval')) === 'pending',
      'DeskApproval=pending',
    );

    // npm run status (in-process and as the script) lists it with the command that answers it.
    const status = await readSessionStatus(t.client, config.sessionId);
    expect(status.pending_approvals).toEqual([
      expect.objectContaining({
        iteration: iterationId,
        order_id: pending.orderId,
        notional: pending.notional,
        deadline: new Date(pending.deadlineMs).toISOString(),
        approve: `npm run approve -- ${iterationId}`,
      }),
    ]);
    const statusCli = await runScript('scripts/status.ts', ['--session', config.sessionId], t.server.address);
    expect(statusCli.code).toBe(0);
    expect(JSON.parse(statusCli.stdout).pending_approvals).toEqual([
      expect.objectContaining({ iteration: iterationId, order_id: pending.orderId }),
    ]);

    // What the Web UI reads: the Updates it offers in "Send Update" and the iteration's current details.
    const metadata = await iteration.query<{
      definition: { updateDefinitions: { name: string }[]; queryDefinitions: { name: string }[] };
      currentDetails: string;
    }>('__temporal_workflow_metadata');
    expect(metadata.definition.updateDefinitions.map((u) => u.name).sort()).toEqual(['approveOrder', 'rejectOrder']);
    expect(metadata.definition.queryDefinitions.map((q) => q.name)).toContain('pendingApproval');
    expect(metadata.currentDetails).toContain('**Order waiting for approval**');
    expect(metadata.currentDetails).toContain(`npm run approve -- ${iterationId}`);

    // The validator refuses another order id (and an approval without one): nothing enters history.
    const wrong = iteration.executeUpdate(approveOrderUpdate, { args: [{ orderId: 'not-this-order' }] });
    await expect(wrong).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
    await expect(wrong.catch((e: Error) => String(e.cause))).resolves.toMatch(
      /not-this-order is not the order waiting for approval/,
    );
    expect(await updateEvents(t, iterationId)).toEqual([]);
    expect(await iteration.query(pendingApprovalQuery)).toEqual(pending);

    // npm run approve -- <session id> finds the waiting iteration and approves its order.
    const approved = await runScript('scripts/approve.ts', [config.sessionId, '--by', 'tester'], t.server.address);
    expect(approved).toMatchObject({ code: 0 });
    expect(JSON.parse(approved.stdout.slice(approved.stdout.indexOf('{')))).toMatchObject({
      iteration: iterationId,
      outcome: 'approved',
      orderId: pending.orderId,
      by: 'tester',
    });
    expect(await updateEvents(t, iterationId)).toEqual(['accepted', 'completed']);

    const outcome = (await iteration.result()) as IterationOutcome;
    expect(outcome.report).toMatchObject({
      decision: 'short',
      riskOutcome: 'approved',
      order: expect.objectContaining({ orderId: pending.orderId, direction: 'short' }),
      approval: { outcome: 'approved', by: 'tester', orderId: pending.orderId },
    });
    expect(await searchAttribute(t, iterationId, 'DeskApproval')).toBe('approved');
    await session.result();
    // A decided order is no longer pending: approving again is refused with the reason.
    const again = await runScript('scripts/approve.ts', [iterationId], t.server.address);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toMatch(/is COMPLETED: no order waits for approval/);

    if (process.env.UPDATE_HISTORIES === '1') {
      const dir = resolve(__dirname, '../replay/histories');
      const json = execFileSync(
        temporalCliPath(),
        ['workflow', 'show', '--address', t.server.address, '--workflow-id', iterationId, '--output', 'json'],
        { maxBuffer: 64 << 20 },
      );
      writeFileSync(resolve(dir, 'iteration-approval.json'), json);
      // Child ids derive from the iteration's id: replay needs it (tests/replay/replay-histories.ts).
      writeFileSync(resolve(dir, 'workflow-ids-approval.txt'), `iteration-approval ${iterationId}\n`);
    }
  });

  it('reject: no trade, the operator and the reason in the report', async () => {
    const config = await approvalConfig('reject');
    const { iteration, iterationId, pending } = await startWaiting(config);
    // Through the Temporal CLI, as docs/approval.md shows (the UI's Send Update sends the same JSON).
    const cli = await new Promise<string>((done, fail) =>
      execFile(
        temporalCliPath(),
        [
          ...['workflow', 'update', 'execute', '--address', t.server.address, '--workflow-id', iterationId],
          ...['--name', rejectOrderUpdate.name, '--output', 'json'],
          ...[
            '--input',
            JSON.stringify({ orderId: pending.orderId, reason: 'too large before the FOMC', by: 'alice' }),
          ],
        ],
        (err, stdout) => (err ? fail(err) : done(stdout)),
      ),
    );
    expect(JSON.parse(cli)).toMatchObject({
      result: { outcome: 'rejected', by: 'alice', reason: 'too large before the FOMC', orderId: pending.orderId },
    });
    const { report } = (await iteration.result()) as IterationOutcome;
    expect(report).toMatchObject({
      decision: 'rejected_by_operator',
      riskOutcome: 'approved',
      order: null,
      open: null,
      approval: { outcome: 'rejected', by: 'alice' },
    });
    expect(report.reason).toMatch(/^rejected by alice, no trade: short .*too large before the FOMC$/);
    expect(await searchAttribute(t, iterationId, 'DeskApproval')).toBe('rejected');
    const logged = await eventually(
      async () => (await runLog.read(config.sessionId)).find((r) => r.iterationId === iterationId),
      'the run log entry',
    );
    expect(logged.decision).toBe('rejected_by_operator');
  });

  it('timeout: no decision within 2 s → no trade, logged, DeskApproval=timed_out, nothing pending in status', async () => {
    const config = await approvalConfig('timeout', 2_000);
    const { iteration, iterationId, pending } = await startWaiting(config);
    const { report } = (await iteration.result()) as IterationOutcome;
    expect(report).toMatchObject({
      decision: 'approval_timed_out',
      order: null,
      open: null,
      approval: { outcome: 'timed_out', by: 'timeout', orderId: pending.orderId },
    });
    expect(report.reason).toMatch(/^approval timed out, no trade: short .*no decision within 2s$/);
    expect(await searchAttribute(t, iterationId, 'DeskApproval')).toBe('timed_out');
    const logged: IterationReport = await eventually(
      async () => (await runLog.read(config.sessionId)).find((r) => r.iterationId === iterationId),
      'the run log entry',
    );
    expect(logged.reason).toBe(report.reason);
    const status = await readSessionStatus(t.client, config.sessionId);
    expect(status.pending_approvals).toEqual([]);
  });

  it('emergency stop while an order waits: the iteration is cancelled, nothing trades, the session halts', async () => {
    const config = await approvalConfig('stop');
    const { session, iteration, iterationId } = await startWaiting(config);
    await session.signal(emergencyStopSignal, 'stop during approval');
    await eventually(
      async () => (await iteration.describe()).status.name === 'CANCELLED',
      'the waiting iteration cancelled',
    );
    const s = await eventually(async () => {
      const st = await session.query(statusQuery);
      return st.halted ? st : null;
    }, 'the halted session');
    expect(s).toMatchObject({ halted: true, position: null, open_orders: 0, recent_trades: [] });
    expect(await searchAttribute(t, iterationId, 'DeskApproval')).toBe('cancelled');
    expect((await runLog.read(config.sessionId)).some((r) => r.iterationId === iterationId)).toBe(false);
    await expect(session.result()).resolves.toMatchObject({ reason: 'halted: stop during approval' });
  });

  it('the fast runner has no operator: the same order is refused with that reason, and nothing trades', async () => {
    const config = await approvalConfig('fast');
    const { reports, state } = await runFastBacktest(config, testDeps());
    expect(reports[0]).toMatchObject({
      decision: 'rejected_by_operator',
      order: null,
      approval: { outcome: 'rejected', by: 'fast-runner' },
    });
    expect(reports[0]!.reason).toMatch(/fast runner has no operator/);
    expect(state.account.position).toBeNull();
  });
});

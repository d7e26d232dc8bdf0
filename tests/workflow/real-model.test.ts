import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { JsonlCostLedger, type CostRecord } from '../../adapters/llm/cost-ledger';
import { testModelPath } from '../../adapters/llm/local-model-path';
import { FailureType } from '../../domain/failures';
import { getEntryPrice } from '../../domain/risk/risk-math';
import { addUsage, ZERO_USAGE } from '../../domain/schemas/llm';
import { tradingSessionWorkflow, type SessionResult } from '../../workflows/session';
import { buildSessionConfig } from '../../workers/session-config';
import { FEED, readLogs, spawnWorker, writeWorkflowBundle, type WorkerProcess } from '../crash/desk-processes';
import { barsBreakingLedger, FULL_SIZE } from '../helpers/ledger-invariant';
import { eventually, startTestTemporal, type TestTemporal } from '../helpers/temporal';

/** Bars of the backtest: the issue asks for at least 10. */
const BARS = 10;
/** Repairs per step (one, not the default two, to keep the test inside the CI budget): a step is one reply plus at most this many repair replies. */
const MAX_REPAIRS = 1;
/**
 * June 2022 (real Binance 4h bars, inside the 2020–2022 choice period, long before the holdout) with
 * seed 10: one agent per role; the researcher's Thompson draws pick llm_narrative from the first bar
 * on and the trader's orders reach the LLM risk review, so R-A, T-A and M-A all ask the model.
 */
const FROM_MS = Date.UTC(2022, 5, 1);
const SEED = 10;

interface StepTally {
  /** Steps whose first reply was accepted. */
  valid: number;
  /** Steps accepted after one or more rejected replies. */
  repaired: number;
  /** Steps whose every reply was rejected: the offline reasoner answered. */
  fallenBack: number;
  /** Rejected replies that met the field rules and broke an agreement rule. */
  contradictoryReplies: number;
}

/**
 * Walks the ledger's replies of each (iteration, agent, step) in order: an accepted reply closes a
 * step, and so does the (MAX_REPAIRS + 1)-th rejected one in a row.
 */
function tallySteps(records: readonly CostRecord[]): StepTally {
  const tally: StepTally = { valid: 0, repaired: 0, fallenBack: 0, contradictoryReplies: 0 };
  const rejectedInARow = new Map<string, number>();
  for (const r of records) {
    if (r.cached) continue;
    const key = `${r.iterationId}|${r.agentId}|${r.step}`;
    const before = rejectedInARow.get(key) ?? 0;
    if (r.contradiction === true) tally.contradictoryReplies++;
    if (r.invalid !== true) {
      if (before === 0) tally.valid++;
      else tally.repaired++;
      rejectedInARow.set(key, 0);
    } else if (before + 1 === MAX_REPAIRS + 1) {
      tally.fallenBack++;
      rejectedInARow.set(key, 0);
    } else {
      rejectedInARow.set(key, before + 1);
    }
  }
  return tally;
}

describe('the desk against a real model (SmolLM2 135M on node-llama-cpp) through the temporal runner', () => {
  const modelPath = process.env.LLM_MODEL_PATH ?? testModelPath();
  let t: TestTemporal;
  let dir: string;
  let worker: WorkerProcess | null = null;

  beforeAll(async () => {
    if (!existsSync(modelPath)) {
      throw new Error(
        `no model at ${modelPath}: run \`bash scripts/setup --browser\` (npm test does) or set LLM_MODEL_PATH to a GGUF file`,
      );
    }
    dir = mkdtempSync(resolve(tmpdir(), 'desk-real-model-'));
    t = await startTestTemporal();
  });
  afterAll(async () => {
    await worker?.stop();
    await t?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it(
    `runs ${BARS} bars: every LLM step asks the model, each answer is accepted, repaired or falls back, all counted and reconciled with the ledger, risk limits hold`,
    async () => {
      const bundle = await writeWorkflowBundle(dir);
      const dataDir = resolve(dir, 'worker');
      const taskQueue = `real-model-${Date.now()}`;
      // node-llama-cpp is ESM with top-level await, which jest's module system cannot load: the LLM runs in
      // a real worker process (scripts/worker.ts), as in production.
      worker = spawnWorker({
        address: t.server.address,
        taskQueue,
        dataDir,
        bundle,
        env: {
          LLM_PROVIDER: 'local',
          LLM_MODEL_PATH: modelPath,
          LLM_THREADS: '1',
          LLM_MAX_TOKENS: '144',
          LLM_MAX_REPAIRS: String(MAX_REPAIRS),
          LLM_RISK_REVIEW: 'true',
          LLM_TIMEOUT_MS: '150000',
          // Every step must reach the model: the breaker would answer with the offline reasoner instead.
          LLM_BREAKER_FAILURES: '100000',
        },
      });
      await eventually(
        async () => {
          if (worker!.child.exitCode !== null) throw new Error(`worker exited: ${worker!.output()}`);
          return worker!.output().includes('worker ready');
        },
        'the worker to start',
        90_000,
      );

      const base = await buildSessionConfig({
        sessionId: `real-model-${Date.now()}`,
        mode: 'backtest',
        feed: FEED,
        fromMs: FROM_MS,
        seed: SEED,
        populations: { analyst: 1, researcher: 1, trader: 1, risk_manager: 1 },
        // Entries at any positive net edge and full size, so orders reach the LLM risk review (M-A) in 10 bars.
        sizing: FULL_SIZE,
      });
      const config = { ...base, toMs: base.fromMs! + (BARS - 1) * base.barMs };
      const handle = await t.client.workflow.start(tradingSessionWorkflow, {
        taskQueue,
        workflowId: config.sessionId,
        args: [{ config, scheduleId: null }],
      });
      const result = (await handle.result()) as SessionResult;

      expect(worker.child.exitCode).toBeNull();
      expect(result.state.round).toBe(BARS);
      const { reports } = await readLogs(dataDir, config.sessionId);
      expect(reports.map((r) => r.round)).toEqual(Array.from({ length: BARS }, (_, i) => i + 1));

      // Every LLM step of the pipeline asked the model (K-T needs peers and 10 matured samples: not in 10 bars of one agent per role).
      const records = await new JsonlCostLedger(resolve(dataDir, 'llm-ledger.jsonl')).entries();
      const stepsAsked = new Set(records.map((r) => r.step));
      expect([...stepsAsked].sort()).toEqual(['M-A', 'R-A', 'T-A']);
      expect(records.filter((r) => r.step === 'T-A').length).toBeGreaterThanOrEqual(BARS);

      // Counted and reconciled: the session total = Σ iteration reports = the ledger (a local model costs nothing).
      const total = reports.map((r) => r.usage).reduce(addUsage, ZERO_USAGE);
      expect(result.state.usage).toEqual(total);
      const ledger = await new JsonlCostLedger(resolve(dataDir, 'llm-ledger.jsonl')).sessionTotal(config.sessionId);
      expect({
        calls: ledger.calls,
        tokensIn: ledger.tokensIn,
        tokensOut: ledger.tokensOut,
        invalid: ledger.invalidOutputs,
        contradictions: ledger.contradictions,
        cost: ledger.costUsd,
      }).toEqual({
        calls: total.calls,
        tokensIn: total.tokensIn,
        tokensOut: total.tokensOut,
        invalid: total.invalidOutputs,
        contradictions: total.contradictions,
        cost: 0,
      });
      expect(total.tokensIn).toBeGreaterThan(0);
      expect(total.tokensOut).toBeGreaterThan(0);

      // Each step's answer was accepted, repaired or fell back, and the fallbacks carry the reason of the last reply.
      const tally = tallySteps(records);
      const byStep = Object.fromEntries(
        [...stepsAsked].sort().map((step) => [step, tallySteps(records.filter((r) => r.step === step))]),
      );
      console.log(
        `real model over ${BARS} bars: ${JSON.stringify({ ...tally, replies: total.calls, invalidReplies: total.invalidOutputs, failures: total.failures, byStep })}`,
      );
      expect(tally.valid + tally.repaired + tally.fallenBack).toBeGreaterThanOrEqual(BARS);
      expect(tally.contradictoryReplies).toBe(total.contradictions);
      expect(total.fallbacks).toBe(tally.fallenBack);
      expect(
        Object.keys(total.failures).filter(
          (type) => type !== FailureType.LlmInvalidOutput && type !== FailureType.LlmContradiction,
        ),
      ).toEqual([]);
      expect(
        (total.failures[FailureType.LlmInvalidOutput] ?? 0) + (total.failures[FailureType.LlmContradiction] ?? 0),
      ).toBe(tally.fallenBack);

      // Risk limits hold whatever the model wrote: approved orders inside the leverage limit, stops and
      // take-profits on their sides, the liquidation beyond the stop; the equity reconciles with the trades.
      for (const r of reports.filter((x) => x.riskOutcome === 'approved' && x.order !== null)) {
        const o = r.order!;
        const entry = getEntryPrice(o);
        const long = o.direction === 'long';
        expect({
          bar: r.iterationId,
          leverageOk: o.leverage <= config.risk.maxLeverage,
          sides: long ? o.stopLoss < entry && entry < o.takeProfit : o.takeProfit < entry && entry < o.stopLoss,
          liquidationBeyondStop: long ? o.liquidationPrice < o.stopLoss : o.liquidationPrice > o.stopLoss,
        }).toEqual({ bar: r.iterationId, leverageOk: true, sides: true, liquidationBeyondStop: true });
      }
      expect(barsBreakingLedger(reports, config.initialEquity)).toEqual([]);
    },
    20 * 60_000,
  );
});

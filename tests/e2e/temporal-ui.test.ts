import type { Page } from 'playwright-core';
import { iterationIdFor } from '../../domain/orchestration/run-iteration';
import type { SessionConfig } from '../../domain/schemas/config';
import type { RiskLogEntry } from '../../domain/schemas/risk';
import type { IterationReport } from '../../domain/schemas/session';
import { MemoryRiskLog } from '../../adapters/risk-log/risk-log';
import { MemoryRunLog } from '../../adapters/store/run-log';
import { buildSessionConfig } from '../../workers/session-config';
import { withChromium } from '../helpers/chromium';
import { eventually, historyNames, startWorkers, testDeps } from '../helpers/temporal';
import {
  artifactPath,
  eventRows,
  expandedEvents,
  listedWorkflowIds,
  startTestTemporalWithUi,
  type TestTemporalWithUi,
  UI_TIMEOUT_MS,
  workflowListUrl,
  workflowUrl,
} from '../helpers/temporal-ui';
import { tradingSessionWorkflow } from '../../workflows/session';

const FEED = { kind: 'synthetic', seed: 11, startMs: Date.UTC(2024, 0, 1), bars: 600 } as const;
const BARS = 3;
/** The steps an operator must be able to find in every iteration's history (issue 6 item 7); a backtest's X-E is the paper step. */
const REQUIRED_STEPS = [
  'A-A.alignData',
  'A-B.buildFeatures',
  'R-D.packageResearch',
  'T-B.buildOrder',
  'X-E.executeOrdersPaper',
];
/** Steps that run once per agent with one of its inventory methods: the UI summary names both. */
const METHOD_STEPS: Record<string, string> = {
  'A-B': 'analyst',
  'A-C': 'analyst',
  'R-A': 'researcher',
  'R-B': 'researcher',
  'R-C': 'researcher',
  'T-A': 'trader',
};
const VERDICT = /"status":\s*"(pass|soft_fail|hard_fail)"/;

describe('Temporal Web UI in headless Chromium shows what a quant needs', () => {
  let t: TestTemporalWithUi;
  let stopWorkers: () => Promise<void> = async () => {};
  let config: SessionConfig;
  let reports: IterationReport[];
  let riskEntries: RiskLogEntry[];

  beforeAll(async () => {
    t = await startTestTemporalWithUi();
    const taskQueue = `ui-${Date.now()}`;
    const riskLog = new MemoryRiskLog();
    const runLog = new MemoryRunLog();
    stopWorkers = (await startWorkers(t, taskQueue, testDeps({ riskLog, runLog }))).stop;
    // Same risk and sizing config as tests/workflow/session.test.ts: any positive net edge trades and a
    // tight CVaR budget makes M-A soft-fail, so the risk review child has verdicts to show.
    config = await buildSessionConfig({
      sessionId: `ui-session-${Date.now()}`,
      mode: 'backtest',
      feed: FEED,
      knowledgeTransferEvery: 2,
      maxSoftFails: 1,
      risk: { cvarBudget: 0.002, minConfidence: 0.5 },
      sizing: { edgeMargin: 0, skillGate: false, kellyFraction: 1 },
    });
    const toMs = config.fromMs! + (BARS - 1) * config.barMs;
    await t.client.workflow.execute(tradingSessionWorkflow, {
      taskQueue,
      workflowId: config.sessionId,
      args: [{ config: { ...config, toMs }, scheduleId: null }],
    });
    reports = await runLog.read(config.sessionId);
    riskEntries = await riskLog.read({ sessionId: config.sessionId });
    // The UI reads visibility, which trails the histories a little: wait until every iteration is listed with its decision.
    await eventually(
      async () => (await countWorkflows(`${iterationsQuery()} AND DeskDecision IS NOT NULL`)) === BARS,
      'iterations in visibility',
    );
  });

  afterAll(async () => {
    await stopWorkers();
    await t?.close();
  });

  const iterationsQuery = () => `WorkflowType="tradingIterationWorkflow" AND ParentWorkflowId="${config.sessionId}"`;
  const iterationPrefix = () => `iter-${config.sessionId}-`;

  const countWorkflows = async (query: string) => (await t.client.workflow.count(query)).count;

  async function openList(page: Page, query: string, expectedFirst: string): Promise<string[]> {
    await page.goto(workflowListUrl(t.uiUrl, query));
    await page.getByText(expectedFirst, { exact: true }).first().waitFor({ timeout: UI_TIMEOUT_MS });
    return listedWorkflowIds(page, expectedFirst.startsWith('iter-') ? iterationPrefix() : config.sessionId);
  }

  it('finds the session and its iterations by search attributes, newest bar first', async () => {
    const newestFirst = reports.map((r) => iterationIdFor(config.sessionId, r.barCloseMs)).reverse();
    const lastDecision = reports.at(-1)!.decision;
    const result = await withChromium(async (browser) => {
      const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
      const iterations = await openList(page, iterationsQuery(), newestFirst[0]!);
      const byDecision = await openList(
        page,
        `${iterationsQuery()} AND DeskDecision="${lastDecision}"`,
        newestFirst[0]!,
      );
      const sessions = await openList(
        page,
        `DeskSymbol="${config.symbol}" AND DeskMode="backtest" AND DeskSession="${config.sessionId}"`,
        config.sessionId,
      );
      // The latest iteration's own search attributes, as the UI's tab shows them.
      await page.goto(workflowUrl(t.uiUrl, newestFirst[0]!));
      await eventRows(page).first().waitFor({ timeout: UI_TIMEOUT_MS });
      await page.getByRole('tab', { name: 'Search Attributes' }).click();
      await page.getByText('DeskDecision').first().waitFor({ timeout: UI_TIMEOUT_MS });
      const attributes = await page.locator('main').innerText();
      return { iterations, byDecision, sessions, attributes };
    });
    if (result === 'skipped') return;

    expect(reports).toHaveLength(BARS);
    expect(result.iterations).toEqual(newestFirst);
    expect(result.byDecision).toEqual(
      reports
        .filter((r) => r.decision === lastDecision)
        .map((r) => iterationIdFor(config.sessionId, r.barCloseMs))
        .reverse(),
    );
    expect(result.sessions).toEqual([config.sessionId]);
    expect(result.attributes).toContain(`"DeskBarTime": "${new Date(reports.at(-1)!.barCloseMs).toISOString()}"`);
    expect(result.attributes).toContain(`"DeskDecision": "${lastDecision}"`);
  });

  it('shows every step of the latest iteration in its event history, labelled with agent and method', async () => {
    const latest = iterationIdFor(config.sessionId, reports.at(-1)!.barCloseMs);
    expect(latest.startsWith(iterationPrefix())).toBe(true);
    const result = await withChromium(async (browser) => {
      // Tall enough for the compact table (it scrolls inside the page) to show a whole iteration.
      const page = await browser.newPage({ viewport: { width: 1600, height: 1800 } });
      const [top] = await openList(page, iterationsQuery(), latest);
      await page.getByRole('link', { name: top!, exact: true }).first().click();
      await page.getByRole('heading', { name: latest }).waitFor({ timeout: UI_TIMEOUT_MS });
      await eventRows(page).first().waitFor({ timeout: UI_TIMEOUT_MS });
      // Compact view: one row per activity or child (All pages 100 events and an iteration has more).
      await page.getByRole('button', { name: 'Compact' }).click();
      await eventRows(page).filter({ hasText: 'A-A.alignData' }).waitFor({ timeout: UI_TIMEOUT_MS });
      const rows = await eventRows(page).allInnerTexts();
      await page.screenshot({ path: artifactPath('temporal-ui-iteration.png'), fullPage: true });
      return rows;
    });
    if (result === 'skipped') return;

    const activities = result.flatMap((row) => {
      const m = /Activity Type\s+(\S+)\s+Summary\s+([^\n]+)/.exec(row);
      return m ? [{ type: m[1]!, summary: m[2]!.trim() }] : [];
    });
    const types = new Set(activities.map((a) => a.type));
    for (const step of REQUIRED_STEPS) expect({ step, shown: types.has(step) }).toEqual({ step, shown: true });
    // The UI shows exactly what the server recorded: nothing lost, nothing invented.
    const server = await historyNames(t.client, latest);
    expect([...types].sort()).toEqual([...new Set(server.activities)].sort());
    expect(activities).toHaveLength(server.activities.length);
    expect(result.some((row) => row.includes('riskReviewWorkflow'))).toBe(
      server.children.includes('riskReviewWorkflow'),
    );

    for (const { type, summary } of activities) {
      const role = METHOD_STEPS[type.split('.')[0]!];
      // Starts with the step, then (for inventory steps) the agent and its method; later parts may add detail.
      const expected = new RegExp(`^${escapeRegExp(type)}${role ? ` · ${role}-\\d+ · [\\w-]+` : ''}( · .+)?$`);
      expect({ type, summary }).toEqual({ type, summary: expect.stringMatching(expected) });
    }
    // One A-B per analyst, each summary naming a different one.
    const analysts = activities.filter((a) => a.type === 'A-B.buildFeatures').map((a) => a.summary.split(' · ')[1]);
    expect(new Set(analysts).size).toBe(config.populations.analyst);
  });

  it("shows M-A and each risk verdict, as logged by M-B, in the iteration's risk review child", async () => {
    // The latest bar may stand aside before any order exists; take the latest bar a trader proposed one for.
    const reviewed = reports.filter((r) => r.riskAttempts > 0).at(-1);
    expect(reviewed).toBeDefined();
    const iterationId = iterationIdFor(config.sessionId, reviewed!.barCloseMs);
    const logged = riskEntries.filter((e) => e.iterationId === iterationId).sort((a, b) => a.attempt - b.attempt);
    expect(logged.length).toBeGreaterThan(0);

    const result = await withChromium(async (browser) => {
      const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
      await page.goto(workflowUrl(t.uiUrl, `${iterationId}-risk`));
      await page.getByRole('heading', { name: `${iterationId}-risk` }).waitFor({ timeout: UI_TIMEOUT_MS });
      const scheduled = eventRows(page).filter({ hasText: 'M-A.analyseRisk' });
      await scheduled.first().waitFor({ timeout: UI_TIMEOUT_MS });
      // History is newest first; walk attempts oldest first and open each M-A event's details.
      const panels: string[] = [];
      for (let i = (await scheduled.count()) - 1; i >= 0; i--) {
        const row = scheduled.nth(i);
        const eventId = await row.getAttribute('data-eventid');
        await row.click();
        const panel = page.locator(`tr[data-eventid="${eventId}"] + tr[data-testid="event-summary-row-expanded"]`);
        await panel.getByText('Activity Task Completed').waitFor({ timeout: UI_TIMEOUT_MS });
        panels.push(await panel.innerText());
      }
      // The event table scrolls inside the page: bring the first attempt's verdict (last in the DOM) to the top for the screenshot.
      await expandedEvents(page)
        .last()
        .getByText('Activity Task Completed')
        .evaluate((el) => el.scrollIntoView({ block: 'start' }));
      await page.screenshot({ path: artifactPath('temporal-ui-risk.png') });
      return panels;
    });
    if (result === 'skipped') return;

    // The verdict is in the M-A result (the completed part of the panel), one per logged attempt, same order.
    const shown = result.map((panel) => VERDICT.exec(panel.slice(panel.indexOf('Activity Task Completed')))?.[1]);
    expect(shown).toEqual(logged.map((e) => e.verdict.status));
    result.forEach((panel, i) => {
      expect(panel).toContain('M-A.analyseRisk · ');
      const verdict = logged[i]!.verdict;
      if (verdict.status !== 'pass') expect(panel).toContain(verdict.reasons[0]);
    });
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import type { Locator, Page } from 'playwright-core';
import { freePort, startDevServer } from '../../workers/temporal-server';
import type { TestTemporal } from './temporal';

export interface TestTemporalWithUi extends TestTemporal {
  uiUrl: string;
}

/** How long the SPA may take to fetch and render a page (2-core CI box, cold server). */
export const UI_TIMEOUT_MS = 30_000;

/**
 * A real dev server like startTestTemporal(), but with the Web UI on a free port
 * (startTestTemporal always starts headless).
 */
export async function startTestTemporalWithUi(): Promise<TestTemporalWithUi> {
  installQuietRuntime();
  const server = await startDevServer({ port: await freePort(), uiPort: await freePort(), dbFile: null });
  const connection = await NativeConnection.connect({ address: server.address });
  const clientConnection = await Connection.connect({ address: server.address });
  const client = new Client({ connection: clientConnection });
  return {
    server,
    client,
    connection,
    uiUrl: server.uiUrl!,
    close: async () => {
      await clientConnection.close();
      await connection.close();
      await server.stop();
    },
  };
}

function installQuietRuntime(): void {
  try {
    Runtime.install({ logger: new DefaultLogger('ERROR') });
  } catch {
    // Already installed in this process (e.g. by startTestTemporal): the runtime is a singleton.
  }
}

/** The UI redirects a bare workflow id to its latest run's history. */
export function workflowUrl(uiUrl: string, workflowId: string, namespace = 'default'): string {
  return `${uiUrl}/namespaces/${namespace}/workflows/${encodeURIComponent(workflowId)}`;
}

export function workflowListUrl(uiUrl: string, query: string, namespace = 'default'): string {
  return `${uiUrl}/namespaces/${namespace}/workflows?query=${encodeURIComponent(query)}`;
}

/** Workflow ids shown in the list page, top to bottom (each row links its id, run id and type). */
export async function listedWorkflowIds(page: Page, idPrefix: string): Promise<string[]> {
  const hrefs = await page
    .locator(`a[href*="/workflows/${encodeURIComponent(idPrefix)}"]`)
    .evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).getAttribute('href') ?? ''));
  const ids = hrefs.map((h) => decodeURIComponent(h.split('/workflows/')[1]!.split('/')[0]!));
  return ids.filter((id, i) => ids.indexOf(id) === i);
}

/** Rows of the event history table (All or Compact view). */
export function eventRows(page: Page): Locator {
  return page.locator('tr[data-testid="event-summary-row"]');
}

/** The details panel the UI opens under a clicked event row. */
export function expandedEvents(page: Page): Locator {
  return page.locator('tr[data-testid="event-summary-row-expanded"]');
}

/** tests/artifacts (git-ignored), created on demand. */
export function artifactPath(name: string): string {
  const dir = join(__dirname, '..', 'artifacts');
  mkdirSync(dir, { recursive: true });
  return join(dir, name);
}

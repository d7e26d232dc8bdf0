import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import { SEARCH_ATTRIBUTE_TYPES } from '../workflows/search-attributes';
import { type TemporalEnv, temporalEnv } from './env';
import type { Mode } from '../domain/schemas/config';

export async function connectClient(env: TemporalEnv = temporalEnv()): Promise<Client> {
  const connection = await Connection.connect({
    address: env.address,
    tls: env.tls || undefined,
    apiKey: env.apiKey ?? undefined,
  });
  return new Client({ connection, namespace: env.namespace });
}

export async function connectWorker(env: TemporalEnv = temporalEnv()): Promise<NativeConnection> {
  return NativeConnection.connect({ address: env.address, tls: env.tls || undefined, apiKey: env.apiKey ?? undefined });
}

/** Workflow id of a session (docs/architecture.md: `session-<venue>-<symbol>-<mode>`), made id-safe. */
export function sessionIdFor(venue: string, symbol: string, mode: Mode): string {
  return `session-${venue}-${symbol}-${mode}`.replace(/[^A-Za-z0-9._-]+/g, '_');
}

export function scheduleIdFor(sessionId: string): string {
  return `schedule-${sessionId}`;
}

/**
 * Registers the desk's search attributes on a server that lacks them (an older dev server, a
 * cluster, Temporal Cloud), so upserts never fail a workflow task. Idempotent.
 */
export async function ensureSearchAttributes(client: Client): Promise<void> {
  const { IndexedValueType } = temporal.api.enums.v1;
  const ops = client.connection.operatorService;
  const existing = await ops.listSearchAttributes({ namespace: client.options.namespace });
  const known = new Set(Object.keys(existing.customAttributes ?? {}));
  const missing = Object.entries(SEARCH_ATTRIBUTE_TYPES).filter(([name]) => !known.has(name));
  if (missing.length === 0) return;
  await ops.addSearchAttributes({
    namespace: client.options.namespace,
    searchAttributes: Object.fromEntries(
      missing.map(([name, type]) => [
        name,
        type === 'Keyword' ? IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD : IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
      ]),
    ),
  });
}

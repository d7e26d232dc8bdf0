import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { type TemporalEnv, temporalEnv } from './env';

export async function connectClient(env: TemporalEnv = temporalEnv()): Promise<Client> {
  const connection = await Connection.connect({ address: env.address, tls: env.tls || undefined, apiKey: env.apiKey ?? undefined });
  return new Client({ connection, namespace: env.namespace });
}

export async function connectWorker(env: TemporalEnv = temporalEnv()): Promise<NativeConnection> {
  return NativeConnection.connect({ address: env.address, tls: env.tls || undefined, apiKey: env.apiKey ?? undefined });
}

/** Workflow id of a session (DESIGN.md: `session-<venue>-<symbol>-<mode>`), made id-safe. */
export function sessionIdFor(venue: string, symbol: string, mode: string): string {
  return `session-${venue}-${symbol}-${mode}`.replace(/[^A-Za-z0-9._-]+/g, '_');
}

export function scheduleIdFor(sessionId: string): string {
  return `schedule-${sessionId}`;
}

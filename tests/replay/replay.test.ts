import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';

const dir = resolve(__dirname, 'histories');

/**
 * Committed histories (recorded with `UPDATE_HISTORIES=1 npx jest tests/workflow/session.test.ts`;
 * session-live-changes.json, a session that took Updates, with `… tests/workflow/live-changes.test.ts`)
 * replayed through today's workflow code with Worker.runReplayHistories: a non-deterministic
 * change fails CI here.
 */
describe('replay of committed histories', () => {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort();

  it('has histories for the session, an iteration, an iteration with knowledge transfer, one with an approved order and a risk review', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'session.json',
        'iteration.json',
        'iteration-kt.json',
        'iteration-approval.json',
        'risk-review.json',
      ]),
    );
  });

  it('replays every history without a non-determinism error', async () => {
    const out = await new Promise<string>((done, fail) =>
      execFile(
        resolve(__dirname, '../../node_modules/.bin/tsx'),
        [resolve(__dirname, 'replay-histories.ts')],
        { maxBuffer: 16 << 20 },
        (err, stdout) => (stdout.trim() ? done(stdout) : fail(err ?? new Error('replay printed nothing'))),
      ),
    );
    const results = JSON.parse(out.trim().split('\n').at(-1)!) as { id: string; error: string | null }[];
    expect(results).toEqual(files.map((f) => ({ id: f.replace(/\.json$/, ''), error: null })));
  });
});

/**
 * One experiment process (forked by workers/experiment-pool.ts): runs the (window, seed, arm) specs the
 * parent sends over IPC, one at a time, and answers each with its figures or its error. The CSV feed is
 * parsed once per process and reused by every run it gets.
 */
import { ExperimentRunSpecSchema } from '../domain/schemas/experiment';
import { FeedSchema } from '../domain/schemas/config';
import type { ChildMessage, ParentMessage } from './experiment-pool';
import { buildExperimentDeps, runExperimentRun } from './experiment-run';

const send = (m: ChildMessage) => process.send?.(m);
const deps = buildExperimentDeps(process.env);
let queue: Promise<void> = Promise.resolve();

process.on('message', (m: ParentMessage) => {
  queue = queue.then(async () => {
    try {
      const result = await runExperimentRun(ExperimentRunSpecSchema.parse(m.run), FeedSchema.parse(m.feed), deps);
      send({ kind: 'done', id: m.run.id, result });
    } catch (err) {
      send({ kind: 'failed', id: m.run.id, message: err instanceof Error ? err.message : String(err) });
    }
  });
});
// The parent closes the channel when the queue is empty: leave then.
process.on('disconnect', () => process.exit(0));

import { defineCheck, type RiskCheck } from './risk-check';

/** Checks of the data the order was decided on: hard, since no order can repair old prices. */

export const freshSnapshotCheck = defineCheck(
  'fresh_snapshot',
  'hard',
  'No entry on a stale or gapped snapshot (missing, late or gapped candles).',
  (_order, ctx) => {
    const problem = ctx.staleness ?? null;
    return {
      ok: problem === null,
      reason: problem === null ? 'snapshot is fresh' : `${problem}: no new entries on stale prices`,
    };
  },
);

export const DATA_CHECKS: readonly RiskCheck[] = [freshSnapshotCheck];

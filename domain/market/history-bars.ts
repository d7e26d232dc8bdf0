/**
 * How much history the desk reads, in one place. The snapshot (A-A) carries the last
 * SNAPSHOT_LOOKBACK_BARS bars into the analysts; a feed must hold WARMUP_BARS bars before its first
 * traded bar (EMA200 on 4h and the 1d features need that much to be defined).
 *
 * The two differ on purpose for now: the features are computed over the whole snapshot window (EMAs
 * seed at its first bar), so shrinking the lookback would change every decision, and raising the
 * warm-up would move the first traded bar of every replayed feed. The warm-up never exceeds the
 * lookback, so a snapshot always holds the whole warm-up.
 */
export const SNAPSHOT_LOOKBACK_BARS = 300;
export const WARMUP_BARS = 250;

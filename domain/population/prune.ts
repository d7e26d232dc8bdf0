import type { Agent, LearningEvent, MethodStats, MethodStep, Populations, Role } from '../schemas/agents';
import { PRUNED_TAG, ROLES, ROLE_STEPS, getRegimeTags, isPruned } from './catalog';

export interface PruneOptions {
  /** Rounds without a use before a method may be pruned. @default 30 */
  window: number;
  /** Times a regime must have been seen before methods tagged for it may be judged. @default 20 */
  minRegimeSeen: number;
  /** Active methods always kept per step. @default 2 */
  minKeep: number;
  /** Methods pruned per agent and step per transfer, so an inventory shrinks gradually. @default 1 */
  maxPerStep: number;
}

export const DEFAULT_PRUNE: PruneOptions = { window: 30, minRegimeSeen: 20, minKeep: 2, maxPerStep: 1 };

/** A pruned method in the global library (the PRUNED_TAG entries across all agents). */
export interface LibraryEntry {
  role: Role;
  agentId: string;
  step: MethodStep;
  methodId: string;
  tags: string[];
}

/** Why a method must not be judged yet, or null if it may be pruned. */
function findProtection(
  m: MethodStats,
  regimeCounts: Record<string, number>,
  currentRegime: string | null,
  minRegimeSeen: number,
): string | null {
  const tags = getRegimeTags(m);
  if (currentRegime !== null && tags.includes(currentRegime)) return `tagged for the current regime ${currentRegime}`;
  const unseen = tags.filter((t) => (regimeCounts[t] ?? 0) < minRegimeSeen);
  return unseen.length > 0
    ? `regime ${unseen.join(',')} seen ${unseen.map((t) => regimeCounts[t] ?? 0).join(',')} < ${minRegimeSeen} times`
    : null;
}

/**
 * Prunes one agent's rarely used methods. Usage over the window is judged from lastUsedRound: a method whose
 * last use is at least `window` rounds old had no use in the window. Among those, the least used overall
 * (then the longest idle, then lowest id) go first, keeping `minKeep` active methods per step. Methods tagged for
 * the current regime, or for a regime seen fewer than `minRegimeSeen` times, are kept: they had no fair chance.
 */
export function pruneAgent(
  agent: Agent,
  round: number,
  regimeCounts: Record<string, number>,
  currentRegime: string | null,
  opts: PruneOptions,
): { agent: Agent; events: LearningEvent[] } {
  if (round < opts.window) return { agent, events: [] };
  const events: LearningEvent[] = [];
  const inventory = { ...agent.inventory };
  for (const step of ROLE_STEPS[agent.role]) {
    const methods = inventory[step] ?? [];
    let active = methods.filter((m) => !isPruned(m)).length;
    const candidates = methods
      .filter((m) => !isPruned(m) && m.lastUsedRound <= round - opts.window)
      .filter((m) => findProtection(m, regimeCounts, currentRegime, opts.minRegimeSeen) === null)
      .sort((a, b) => a.uses - b.uses || a.lastUsedRound - b.lastUsedRound || (a.id < b.id ? -1 : 1));
    const chosen = new Set<string>();
    for (const m of candidates) {
      if (active <= opts.minKeep || chosen.size >= opts.maxPerStep) break;
      chosen.add(m.id);
      active -= 1;
      const idle = m.lastUsedRound < 0 ? 'never used' : `last used round ${m.lastUsedRound}`;
      events.push({
        round,
        type: 'prune',
        role: agent.role,
        agent: agent.id,
        teacher: null,
        method: m.id,
        reason: `${step} ${m.id}: 0 uses in the last ${opts.window} rounds (${idle}, ${m.uses} uses in total, score ${m.score.toFixed(3)} n ${m.n}); ${active} active methods left (min ${opts.minKeep})`,
      });
    }
    if (chosen.size > 0)
      inventory[step] = methods.map((m) => (chosen.has(m.id) ? { ...m, tags: [...m.tags, PRUNED_TAG] } : m));
  }
  return { agent: events.length > 0 ? { ...agent, inventory } : agent, events };
}

/** Every pruned method across the populations: the global library. */
export function listLibrary(populations: Populations): LibraryEntry[] {
  return ROLES.flatMap((role) =>
    populations[role].flatMap((a) =>
      ROLE_STEPS[role].flatMap((step) =>
        (a.inventory[step] ?? [])
          .filter(isPruned)
          .map((m) => ({ role, agentId: a.id, step, methodId: m.id, tags: getRegimeTags(m) })),
      ),
    ),
  );
}

/** Library entries worth restoring because the regime they are tagged for is back. */
export function restoreCandidates(
  populations: Populations,
  regime: string | null,
  roles: readonly Role[] = ROLES,
): LibraryEntry[] {
  if (regime === null) return [];
  return listLibrary(populations).filter((e) => roles.includes(e.role) && e.tags.includes(regime));
}

/**
 * Returns the restore candidates to their owners' inventories. A restored method keeps its record but gets
 * lastUsedRound = round: a fresh window before it can be judged again.
 */
export function restoreMethods(
  populations: Populations,
  regime: string | null,
  round: number,
  roles: readonly Role[] = ROLES,
): { populations: Populations; events: LearningEvent[] } {
  const entries = restoreCandidates(populations, regime, roles);
  if (entries.length === 0) return { populations, events: [] };
  const key = (agentId: string, step: string, id: string) => `${agentId}|${step}|${id}`;
  const wanted = new Set(entries.map((e) => key(e.agentId, e.step, e.methodId)));
  const next = { ...populations };
  for (const role of ROLES) {
    next[role] = populations[role].map((a) => {
      const inventory = { ...a.inventory };
      for (const step of ROLE_STEPS[role]) {
        const methods = a.inventory[step];
        if (!methods) continue;
        inventory[step] = methods.map((m) =>
          wanted.has(key(a.id, step, m.id))
            ? { ...m, tags: getRegimeTags(m), lastUsedRound: Math.max(m.lastUsedRound, round) }
            : m,
        );
      }
      return { ...a, inventory };
    });
  }
  const events = entries.map((e): LearningEvent => ({
    round,
    type: 'restore',
    role: e.role,
    agent: e.agentId,
    teacher: null,
    method: e.methodId,
    reason: `${e.step} ${e.methodId}: regime ${regime} is back and the method is tagged for it (tags ${e.tags.join(',')})`,
  }));
  return { populations: next, events };
}

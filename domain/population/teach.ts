import type { Agent, MethodStats } from '../schemas/agents';
import { ROLE_STEPS, clamp } from './catalog';

/** (1 − blend)·own + blend·teacher; integers stay integers when both sides are (periods, window lengths). */
function blendNumber(own: number, teacher: number, blend: number): number {
  const mixed = (1 - blend) * own + blend * teacher;
  return Number.isInteger(own) && Number.isInteger(teacher) ? Math.round(mixed) : mixed;
}

function blendMethod(own: MethodStats, teacher: MethodStats, blend: number): MethodStats {
  const params: Record<string, number> = { ...own.params };
  for (const [k, v] of Object.entries(own.params)) {
    const t = teacher.params[k];
    if (t !== undefined) params[k] = blendNumber(v, t, blend);
  }
  return {
    ...own,
    score: clamp((1 - blend) * own.score + blend * teacher.score, 0, 1),
    // The evidence count blends too, so a taught preference carries some weight in Thompson sampling.
    n: Math.round((1 - blend) * own.n + blend * teacher.n),
    params,
  };
}

/**
 * Moves a student's method preferences toward its teacher's: for every method both own in the same step,
 * score, n and shared numeric params become (1 − blend)·own + blend·teacher. Uses, tags (including pruned)
 * and the student's own methods the teacher lacks are left alone.
 */
export function blendInventory(student: Agent, teacher: Agent, blend: number): Agent {
  const inventory = { ...student.inventory };
  for (const step of ROLE_STEPS[student.role]) {
    const mine = inventory[step];
    const theirs = teacher.inventory[step];
    if (!mine || !theirs) continue;
    inventory[step] = mine.map((m) => {
      const t = theirs.find((x) => x.id === m.id);
      return t ? blendMethod(m, t, blend) : m;
    });
  }
  return { ...student, inventory };
}

/** The teacher's best-scored methods per step, for event reasons and lesson prompts. */
export function summarizeMethods(agent: Agent, perStep = 2): string {
  return ROLE_STEPS[agent.role]
    .map((step) => {
      const best = [...(agent.inventory[step] ?? [])]
        .filter((m) => m.n > 0)
        .sort((a, b) => b.score - a.score || b.n - a.n)
        .slice(0, perStep)
        .map((m) => `${m.id} ${m.score.toFixed(2)} (n ${m.n})`);
      return best.length > 0 ? `${step}: ${best.join(', ')}` : null;
    })
    .filter((s): s is string => s !== null)
    .join('; ');
}

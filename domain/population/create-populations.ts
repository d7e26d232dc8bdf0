import type { Agent, MethodStats, MethodStep, Populations, Role } from '../schemas/agents';
import { type MethodCatalog, ROLES, ROLE_STEPS, clamp } from './catalog';
import { createKeyedRng } from '../random/prng';

/** Population sizes per role (docs/architecture.md default: 3 analysts, 3 researchers, 2 traders, 1 risk manager). */
export type PopulationSizes = Record<Role, number>;

/** Thrown when a population size or the catalog cannot produce a valid population. */
export class InvalidPopulationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidPopulationError';
  }
}

/**
 * Half-width of the seeded prior jitter on method scores. Small on purpose: it only tilts the first Thompson
 * draws (see selectMethod's prior pseudo-count) so identical agents do not start as clones.
 */
const PRIOR_JITTER = 0.05;

/** The neutral value of each role's headline metric (what an agent with no track record scores). */
export const NEUTRAL_METRIC = { analyst: 0.5, researcher: 0, trader: 0, risk_manager: 0 } as const satisfies Record<
  Role,
  number
>;

function createInventory(role: Role, agentId: string, catalog: MethodCatalog, seed: number): Agent['inventory'] {
  const inventory: Partial<Record<MethodStep, MethodStats[]>> = {};
  for (const step of ROLE_STEPS[role]) {
    const defs = catalog[step];
    if (defs.length === 0) throw new InvalidPopulationError(`catalog has no method for step ${step}`);
    const rng = createKeyedRng(seed, 'prior', agentId, step);
    inventory[step] = defs.map((d) => ({
      id: d.id,
      uses: 0,
      score: clamp(0.5 + (rng() * 2 - 1) * PRIOR_JITTER, 0, 1),
      n: 0,
      tags: [...d.tags],
      params: { ...d.params },
      lastUsedRound: -1,
    }));
  }
  return inventory;
}

/**
 * Builds every role's population. Ids are `<role>-<i>` from 1; every agent owns every catalog method of its
 * steps with uses 0, n 0 and a score of 0.5 ± a seeded jitter. Models are null (the shared default LLM).
 */
export function createPopulations(sizes: PopulationSizes, catalog: MethodCatalog, seed: number): Populations {
  const build = (role: Role): Agent[] => {
    const size = sizes[role];
    if (!Number.isInteger(size) || size < 1)
      throw new InvalidPopulationError(`population ${role} needs at least one agent, got ${size}`);
    return Array.from({ length: size }, (_, i) => {
      const id = `${role}-${i + 1}`;
      return {
        id,
        role,
        model: null,
        inventory: createInventory(role, id, catalog, seed),
        score: NEUTRAL_METRIC[role],
        n: 0,
        notes: [],
      };
    });
  };
  const [analyst, researcher, trader, riskManager] = ROLES.map(build) as [Agent[], Agent[], Agent[], Agent[]];
  return { analyst, researcher, trader, risk_manager: riskManager };
}

import type { Agent, MethodStats, MethodStep, Populations, Role } from '../schemas/agents';

/** The method definitions an inventory is built from, per step. Passed in so this folder never imports method code. */
export type MethodCatalog = Record<
  MethodStep,
  readonly { id: string; params: Record<string, number>; tags: string[] }[]
>;

export const ROLES = ['analyst', 'researcher', 'trader', 'risk_manager'] as const satisfies readonly Role[];

/** Which (M) steps each role owns (docs/architecture.md step table). */
export const ROLE_STEPS = {
  analyst: ['A-B', 'A-C'],
  researcher: ['R-A', 'R-B', 'R-C'],
  trader: ['T-A'],
  risk_manager: ['M-A'],
} as const satisfies Record<Role, readonly MethodStep[]>;

/**
 * Pruned methods stay in the agent's inventory with this tag: the tagged entries across all agents form the
 * global library, and the tag keeps them out of selection. Keeping them in place means the library travels in
 * the existing Populations schema without a new state field.
 */
export const PRUNED_TAG = 'pruned';

/** Thrown when an agent id is not in any population. */
export class UnknownAgentError extends Error {
  constructor(readonly agentId: string) {
    super(`unknown agent ${agentId}`);
    this.name = 'UnknownAgentError';
  }
}

/** Thrown when an agent has no usable (unpruned) method for a step it must run. */
export class NoMethodError extends Error {
  constructor(
    readonly agentId: string,
    readonly step: string,
    readonly methodId: string | null = null,
  ) {
    super(
      methodId === null
        ? `agent ${agentId} has no active method for ${step}`
        : `agent ${agentId} has no method ${methodId} for ${step}`,
    );
    this.name = 'NoMethodError';
  }
}

export function isPruned(method: MethodStats): boolean {
  return method.tags.includes(PRUNED_TAG);
}

/** Regime tags of a method, without bookkeeping tags. */
export function getRegimeTags(method: MethodStats): string[] {
  return method.tags.filter((t) => t !== PRUNED_TAG);
}

export function getActiveMethods(agent: Agent, step: MethodStep): MethodStats[] {
  return (agent.inventory[step] ?? []).filter((m) => !isPruned(m));
}

/** Finds an agent and its role; throws UnknownAgentError. */
export function findAgent(populations: Populations, agentId: string): { agent: Agent; role: Role } {
  for (const role of ROLES) {
    const agent = populations[role].find((a) => a.id === agentId);
    if (agent) return { agent, role };
  }
  throw new UnknownAgentError(agentId);
}

/** Returns populations with one agent replaced by `update(agent)` (immutable: workflow state is plain JSON). */
export function updateAgent(populations: Populations, agentId: string, update: (agent: Agent) => Agent): Populations {
  const { role } = findAgent(populations, agentId);
  return { ...populations, [role]: populations[role].map((a) => (a.id === agentId ? update(a) : a)) };
}

/** Returns the agent with one method of one step replaced by `update(method)`; throws NoMethodError. */
export function updateMethod(
  agent: Agent,
  step: MethodStep,
  methodId: string,
  update: (m: MethodStats) => MethodStats,
): Agent {
  const methods = agent.inventory[step] ?? [];
  if (!methods.some((m) => m.id === methodId)) throw new NoMethodError(agent.id, step, methodId);
  return {
    ...agent,
    inventory: { ...agent.inventory, [step]: methods.map((m) => (m.id === methodId ? update(m) : m)) },
  };
}

/** Orders ids like 'analyst-2' < 'analyst-10' (numeric suffix compared as a number), so "lowest id" is stable. */
export function compareIds(a: string, b: string): number {
  const ma = /^(.*?)(\d+)$/.exec(a);
  const mb = /^(.*?)(\d+)$/.exec(b);
  if (ma && mb && ma[1] === mb[1]) return Number(ma[2]) - Number(mb[2]);
  return a < b ? -1 : a > b ? 1 : 0;
}

export function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}

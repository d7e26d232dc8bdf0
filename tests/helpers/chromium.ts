import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** The system Chromium installed by the project's setup (`apt-get install -y chromium`). */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Flags for a quiet, offline, container-friendly headless run. */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Thrown when Chromium is required (CI) but not installed. */
export class ChromiumMissingError extends Error {
  constructor() {
    super(`Chromium not found at ${CHROMIUM_PATH}; run \`apt-get install -y chromium\` (npm run setup does).`);
    this.name = 'ChromiumMissingError';
  }
}

/**
 * Run `fn` with a headless Chromium and always close it. Without Chromium: throw in CI
 * (a browser test that silently skips there proves nothing), otherwise skip with a message.
 */
export async function withChromium<T>(fn: (browser: Browser) => Promise<T>): Promise<T | 'skipped'> {
  if (!existsSync(CHROMIUM_PATH)) {
    if (process.env['CI']) throw new ChromiumMissingError();
    console.warn(`[skipped] ${new ChromiumMissingError().message}`);
    return 'skipped';
  }
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    return await fn(browser);
  } finally {
    await browser.close();
  }
}

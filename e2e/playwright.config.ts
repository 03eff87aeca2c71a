// Browser journeys against the real edge: `cargo xtask serve-e2e` (wrangler dev with the built
// worker and widget, demo data on fresh state) and the system Chromium (../shared/TOOLCHAIN.md).
// `cargo xtask test` runs this suite after building; to run it alone: `cargo xtask build`, then
// `node_modules/.bin/playwright test` in e2e/.
import { defineConfig } from '@playwright/test';

const PORT = Number(process.env.PORCHLIGHT_E2E_PORT ?? 8799);
const BASE_URL = `http://127.0.0.1:${PORT}`;

export default defineConfig({
  // The console's journeys sign agents in on the demo site, where they would be offered the
  // widget journeys' tickets: they run after the widget's, one at a time.
  projects: [
    { name: 'widget', testDir: './specs' },
    { name: 'console', testDir: './console-specs', dependencies: ['widget'], workers: 1 },
  ],
  outputDir: './test-results',
  // Two cores shared with other work: two browsers at most.
  workers: 2,
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  use: {
    baseURL: BASE_URL,
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      // Without the networking flags Chromium tries to reach outside; there is no sandbox here.
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
  },
  webServer: {
    command: 'cargo xtask serve-e2e',
    cwd: '..',
    url: `${BASE_URL}/healthz`,
    env: { PORCHLIGHT_PORT: String(PORT) },
    reuseExistingServer: false,
    // A build (if nothing is built yet) plus wrangler's cold start.
    timeout: 600_000,
    // serve-e2e stops wrangler's own process group on SIGTERM; SIGKILL would orphan it.
    gracefulShutdown: { signal: 'SIGTERM', timeout: 20_000 },
    stdout: 'pipe',
  },
});

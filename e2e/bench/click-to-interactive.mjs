// Benchmark probe for `cargo xtask bench` (not a test): loads the demo host page in headless
// Chromium, clicks the launcher and measures, inside the page, the time until the chat's
// composer exists and accepts input. A fresh browser context per run, so every run is a first
// open (nothing cached in the browser). The first WARMUP runs are not counted: they measure the
// edge starting up (its first D1 query, the site's team object, the runtime compiling the
// Worker), not a visitor opening the chat on a running site. Prints {"samples_ms": [...]}.
//
// usage: node e2e/bench/click-to-interactive.mjs <base-url> <runs>
import { chromium } from '@playwright/test';

const [base, runsArg] = process.argv.slice(2);
const runs = Number(runsArg ?? 15);
const WARMUP = 3;
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const samples = [];
try {
  for (let i = 0; i < WARMUP + runs; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${base}/demo`);
    await page.locator('[data-porchlight] button.l').waitFor();
    const ms = await page.evaluate(() => new Promise((resolve, reject) => {
      const host = document.querySelector('[data-porchlight]');
      const launcher = host.shadowRoot.querySelector('button.l');
      const start = performance.now();
      launcher.click();
      const poll = () => {
        const frame = host.shadowRoot.querySelector('iframe');
        const input = frame && frame.contentDocument && frame.contentDocument.querySelector('textarea');
        if (input && !input.disabled && input.offsetParent !== null) {
          resolve(performance.now() - start);
        } else if (performance.now() - start > 10_000) {
          reject(new Error('the panel did not become interactive within 10 s'));
        } else {
          setTimeout(poll, 1);
        }
      };
      poll();
    }));
    if (i >= WARMUP) samples.push(ms);
    await context.close();
  }
} finally {
  await browser.close();
}
console.log(JSON.stringify({ samples_ms: samples }));

// Benchmark probe for `cargo xtask bench` (not a test): loads the demo host page in headless
// Chromium, clicks the launcher and measures, inside the page, the time until the chat's
// composer exists and accepts input.
//
// - cold: a fresh browser context per run, so every run is a first open with nothing cached.
// - warm: one context whose cache the first open filled; each run is a new page in it (a later
//   page view of the same visitor), clicking the launcher of a new frame.
//
// The first WARMUP cold runs measure the edge starting up (its first D1 query, the site's team
// object, the runtime compiling the Worker) rather than a visitor opening the chat on a running
// site: they are reported apart, not counted. Prints
// {"warmup_ms": [...], "cold_ms": [...], "warm_ms": [...]}.
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

/** Loads the demo page in `context`, clicks the launcher; ms until the composer is usable. */
async function clickToInteractive(context) {
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
      const input = frame && frame.contentDocument && frame.contentDocument.querySelector('form.composer textarea');
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
  await page.close();
  return ms;
}

const result = { warmup_ms: [], cold_ms: [], warm_ms: [] };
try {
  for (let i = 0; i < WARMUP + runs; i++) {
    const context = await browser.newContext();
    const ms = await clickToInteractive(context);
    (i < WARMUP ? result.warmup_ms : result.cold_ms).push(ms);
    await context.close();
  }
  const context = await browser.newContext();
  // Fills the cache (a cold open, already counted above in kind).
  await clickToInteractive(context);
  for (let i = 0; i < runs; i++) result.warm_ms.push(await clickToInteractive(context));
  await context.close();
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));

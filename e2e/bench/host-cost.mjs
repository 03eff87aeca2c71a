// Benchmark probe for `cargo xtask bench` (not a test): what the widget's tag costs a site's page.
// Lighthouse (desktop preset, its throttling applied by DevTools: see `config`; performance only) on a plain content page served here, on another
// origin than the edge (as a customer's page is), without and with the tag (the baked per-site
// tag), for a first-time visitor and for a returning one, RUNS times each.
//
// - without: the page alone. Fresh browser profile.
// - first: the page with the tag, a fresh browser profile (nothing stored, nothing cached).
// - returning: the page with the tag in a profile where the visitor wrote before (the chat frame
//   holds a token, the page the "returning" flag), nothing unread; the browser's cache is
//   emptied before each run, so every byte the widget needs comes over the network.
//
// Prints {"without": [run...], "first": [...], "returning": [...]}, each run
// {"lcp_ms", "tbt_ms", "cls", "requests", "bytes", "widget_requests", "widget_bytes"}
// (`widget_*`: what went to the edge's origin; bytes as transferred, headers included).
//
// usage: node e2e/bench/host-cost.mjs <edge-base-url> <page-port> <site> <runs>
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import lighthouse from 'lighthouse';
import desktopConfig from 'lighthouse/core/config/desktop-config.js';
import * as chromeLauncher from 'chrome-launcher';
import { chromium } from '@playwright/test';

const [edge, portArg, site, runsArg] = process.argv.slice(2);
const port = Number(portArg);
const runs = Number(runsArg ?? 3);
const pageOrigin = `http://localhost:${port}`;
const FLAGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];

// A plain article: a heading, a large lead paragraph (the LCP element) and body text.
const para = 'Porch lights have guided people home for a long time. This page stands in for an '
  + 'ordinary article on a customer\'s site: text, a little style, nothing else. ';
function article(tag) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>An article</title>
<style>body{font:18px/1.6 Georgia,serif;max-width:48rem;margin:2rem auto;padding:0 1rem;color:#222}
h1{font-size:2.4rem}.lead{font-size:1.6rem;line-height:1.5;min-height:14rem}</style></head><body>
<h1>Coming home after dark</h1>
<p class="lead">${para.repeat(3)}</p>
${`<p>${para.repeat(4)}</p>\n`.repeat(4)}${tag}</body></html>`;
}
const pages = {
  '/without': article(''),
  '/with': article(`<script src="${edge}/widget.js?site=${site}" async></script>`),
};
const server = http.createServer((req, res) => {
  const body = pages[new URL(req.url, pageOrigin).pathname];
  if (!body) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(body);
});
await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));

// The desktop preset, with its network throttling (40 ms round trip, 10 Mbit/s) applied by
// DevTools to the real page load instead of simulated afterwards. The simulation (Lighthouse's
// default) adds to LCP every request that started before the observed LCP: on loopback the async
// loader's request starts before the first paint in some runs and after it in others, so the
// same page measured 169 ms and 441 ms with nothing changed. Applied throttling measures what the
// async tag really does to the page's paint. Round trip and throughput scaled as Lighthouse's
// own DevTools presets are (x3.75, x0.9).
const config = {
  ...desktopConfig,
  settings: {
    ...desktopConfig.settings,
    throttlingMethod: 'devtools',
    throttling: {
      ...desktopConfig.settings.throttling,
      requestLatencyMs: desktopConfig.settings.throttling.rttMs * 3.75,
      downloadThroughputKbps: desktopConfig.settings.throttling.throughputKbps * 0.9,
      uploadThroughputKbps: desktopConfig.settings.throttling.throughputKbps * 0.9,
    },
  },
};

/** One Lighthouse run of `url` in the Chrome on `chromePort`. */
async function measure(url, chromePort, keepStorage) {
  const result = await lighthouse(url, {
    port: chromePort,
    output: 'json',
    logLevel: 'error',
    onlyCategories: ['performance'],
    disableStorageReset: keepStorage,
  }, config);
  const audits = result.lhr.audits;
  if (result.lhr.runtimeError) throw new Error(JSON.stringify(result.lhr.runtimeError));
  const requests = audits['network-requests'].details.items;
  const edgeOrigin = new URL(edge).origin;
  const widget = requests.filter((r) => new URL(r.url).origin === edgeOrigin);
  const sum = (rs) => rs.reduce((n, r) => n + (r.transferSize || 0), 0);
  return {
    lcp_ms: audits['largest-contentful-paint'].numericValue,
    tbt_ms: audits['total-blocking-time'].numericValue,
    cls: audits['cumulative-layout-shift'].numericValue,
    requests: requests.length,
    bytes: sum(requests),
    widget_requests: widget.length,
    widget_bytes: sum(widget),
    widget_urls: widget.map((r) => `${new URL(r.url).pathname} ${r.transferSize}`),
  };
}

async function withChrome(userDataDir, fn) {
  const chrome = await chromeLauncher.launch({
    chromePath: process.env.CHROME_PATH || '/usr/bin/chromium',
    chromeFlags: FLAGS,
    userDataDir,
  });
  try {
    return await fn(chrome.port);
  } finally {
    await chrome.kill();
  }
}

const result = { without: [], first: [], returning: [] };
try {
  // Alternating, so that the machine's drift over the runs falls on both pages alike.
  for (let i = 0; i < runs; i++) {
    for (const [kind, url] of [['without', '/without'], ['first', '/with']]) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'porchlight-lh-'));
      try {
        result[kind].push(await withChrome(dir, (p) => measure(pageOrigin + url, p, false)));
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }
  }

  // A visitor who wrote before, in a profile of their own.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'porchlight-lh-'));
  try {
    await withChrome(dir, async (chromePort) => {
      const browser = await chromium.connectOverCDP(`http://127.0.0.1:${chromePort}`);
      const context = browser.contexts()[0];
      const page = await context.newPage();
      await page.goto(pageOrigin + '/with');
      const widget = page.locator('[data-porchlight]');
      await widget.locator('button.l').click();
      const frame = widget.locator('iframe').contentFrame();
      const input = frame.getByRole('textbox', { name: 'Message', exact: true });
      await input.fill('Hello, I will be back');
      await input.press('Enter');
      await page.waitForFunction((key) => localStorage.getItem(key) === '1', `porchlight:${site}:returning`);
      // Stored by the edge, so the frame keeps the token.
      await frame.locator('.msg.mine[data-delivery="sent"]').first().waitFor();
      // A blank tab to empty the cache from; the visitor's tab closes before the runs.
      const blank = await context.newPage();
      await page.close();
      const cdp = await context.newCDPSession(blank);
      for (let i = 0; i < runs; i++) {
        await cdp.send('Network.clearBrowserCache');
        result.returning.push(await measure(pageOrigin + '/with', chromePort, true));
      }
      await browser.close().catch(() => {});
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
} finally {
  server.close();
}
console.log(JSON.stringify(result));

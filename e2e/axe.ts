import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

/**
 * Runs axe-core on `page` (every rule it runs by default: WCAG 2.0–2.2 A and AA and the best
 * practices, such as `region` and `landmark-one-main`) and fails on any violation, listing each
 * one's rule, impact, elements and help. Frames are analysed too: the widget's chat frame is part
 * of the host page's result.
 */
export async function expectNoAxeViolations(page: Page, label: string) {
  const results = await new AxeBuilder({ page }).analyze();
  const found = results.violations.flatMap((v) =>
    v.nodes.map((n) => `${v.id} (${v.impact}) at ${JSON.stringify(n.target)}: ${v.help}`),
  );
  if (found.length > 0) {
    console.log(`axe, ${label}:\n  ${found.join('\n  ')}`);
  }
  // Soft: the journey goes on to its other screens, so that one run lists them all.
  expect.soft(found, `axe violations on ${label}`).toEqual([]);
}

// Shared helpers for the browser checks: start the system Chromium headless and fail with
// a clear message. playwright-core downloads no browser; it drives /usr/bin/chromium.
import { chromium } from "playwright-core";

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ],
  });
}

export function need(name) {
  const v = process.env[name];
  if (!v) throw new Error(`missing environment variable ${name}`);
  return v;
}

export function check(cond, message) {
  if (!cond) throw new Error(message);
}

// axe-core (pinned in package.json) checks a page for accessibility problems. The source is
// evaluated through the DevTools protocol, so the pages' Content-Security-Policy (no
// inline scripts) stays on and unchanged.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

// Runs axe-core on the page as it is now and fails on any violation, naming the rule, its
// help text and the first elements it found.
export async function axe(page, label) {
  if (!(await page.evaluate(() => typeof window.axe === "object"))) {
    await page.evaluate(AXE_SOURCE);
  }
  const violations = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ["violations"] });
    return r.violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
  });
  check(violations.length === 0, `axe-core on ${label} (${page.url()}): ${violations.join(" | ")}`);
}

// Fails when the page scrolls sideways (wider than the window).
export async function noSidewaysScroll(page, label) {
  const [scroll, inner] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  check(scroll <= inner, `${label} scrolls sideways: scrollWidth ${scroll} > innerWidth ${inner}`);
}

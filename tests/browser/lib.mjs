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

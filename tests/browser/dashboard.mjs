// Issue 33: every role logs in and finds its dashboard's main action; no link of the main
// navigation answers 403 or 404. URENWINST_ACCOUNTS is JSON:
// [{"email": "...", "password": "...", "title": "Overzicht …", "action": "Rooster inlezen"}].
import { launch, need, check } from "./lib.mjs";

const base = need("URENWINST_URL");
const accounts = JSON.parse(need("URENWINST_ACCOUNTS"));
const shots = process.env.URENWINST_SCREENSHOTS;

const browser = await launch();
try {
  for (const a of accounts) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const errors = [];
    page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
    await page.goto(`${base}/`);
    check(page.url().includes("/inloggen"), `${a.email}: expected the login page, got ${page.url()}`);
    await page.getByLabel("E-mailadres").fill(a.email);
    await page.getByLabel("Wachtwoord").fill(a.password);
    await page.getByRole("button", { name: "Inloggen" }).click();
    await page.waitForURL(/\/dashboard/);
    const h1 = (await page.getByRole("heading", { level: 1 }).innerText()).trim();
    check(h1 === a.title, `${a.email}: heading '${h1}', expected '${a.title}'`);
    const main = page.getByRole("main");
    const action = main.getByRole("link", { name: a.action, exact: true }).first();
    check(await action.isVisible(), `${a.email}: main action '${a.action}' not visible`);
    if (shots) await page.screenshot({ path: `${shots}/dashboard-${a.email.split("@")[0]}.png`, fullPage: true });

    // Every link of the main navigation opens.
    const nav = page.getByRole("navigation", { name: "Hoofdmenu" });
    const hrefs = await nav.locator("a").evaluateAll((els) => els.map((e) => e.getAttribute("href")));
    check(hrefs.includes("/hulp"), `${a.email}: no help link in the navigation`);
    for (const href of hrefs) {
      const r = await page.request.get(`${base}${href}`);
      check(r.status() < 400, `${a.email}: nav link ${href} answers ${r.status()}`);
    }

    // The main action leads somewhere that opens.
    await action.click();
    await page.waitForLoadState("load");
    check(!(await page.title()).startsWith("Geen toegang"), `${a.email}: main action leads to an error page`);
    const status = await page.evaluate(() => document.querySelector("h1")?.innerText ?? "");
    check(status.length > 0, `${a.email}: the main action's page has no heading`);

    await page.goto(`${base}/dashboard`);
    await page.getByRole("button", { name: "Uitloggen" }).click();
    await page.waitForURL(/\/inloggen/);
    check(errors.length === 0, `${a.email}: console errors (CSP?): ${errors.join(" | ")}`);
    console.log(`dashboard ok: ${a.email} found '${a.action}' under '${h1}'`);
    await context.close();
  }
  console.log(`browser dashboard flow ok: ${accounts.length} roles`);
} finally {
  await browser.close();
}

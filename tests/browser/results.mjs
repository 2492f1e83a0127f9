// An organisation admin reads the survey results of the demo's largest round (De Dinkel,
// 100 responses) on a phone (390x844): a report with a chart per question, breakdowns
// folded, no sideways scrolling, no accessibility violations (axe-core); a screenshot.
import { launch, need, check, axe, noSidewaysScroll } from "./lib.mjs";

const base = need("URENWINST_URL");
const email = need("URENWINST_EMAIL");
const password = need("URENWINST_PASSWORD");
const roundId = need("URENWINST_ROUND_ID");
const shots = process.env.URENWINST_SCREENSHOTS;

const browser = await launch();
try {
  const page = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const errors = [];
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  await page.goto(`${base}/inloggen`);
  await axe(page, "the login page on a phone");
  await page.getByLabel("E-mailadres").fill(email);
  await page.getByLabel("Wachtwoord").fill(password);
  await page.getByRole("button", { name: "Inloggen" }).click();
  await page.waitForURL(/\/dashboard/);

  await page.goto(`${base}/enquetes/${roundId}/resultaten`);
  await page.getByRole("heading", { name: /^Resultaten:/ }).waitFor();
  const text = await page.locator("main").innerText();
  check(text.includes("betekent: verborgen, niet nul"), "one explanation of hidden figures");
  const charts = await page.locator("main figure svg[role=img]").count();
  check(charts >= 8, `a chart per question (${charts})`);
  // The reference case: 31% "ja, onder voorwaarden", in the chart's description and the numbers.
  check(await page.getByRole("cell", { name: "Ja, onder voorwaarden", exact: true }).first().isVisible(), "answer label beside the chart");
  // Breakdowns are folded: their tables are not shown until opened.
  const folded = page.locator("details.report-breakdown").first();
  check((await folded.getAttribute("open")) === null, "breakdown folded by default");
  check(!(await folded.locator("table").isVisible()), "breakdown table hidden while folded");
  await noSidewaysScroll(page, "the results page at 390 px");
  await axe(page, "the survey results page on a phone");
  if (shots) await page.screenshot({ path: `${shots}/resultaten-telefoon.png`, fullPage: true });

  // Opened, the breakdown scrolls inside its own (keyboard-reachable) box, not the page.
  await folded.locator("summary").click();
  check(await folded.locator("table").isVisible(), "breakdown opens");
  await noSidewaysScroll(page, "the results page with a breakdown open");
  await axe(page, "the survey results page with a breakdown open");
  check(errors.length === 0, `console errors: ${errors.join(" | ")}`);
  console.log(`browser results flow ok: ${charts} charts`);
} finally {
  await browser.close();
}

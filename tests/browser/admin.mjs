// A programme admin logs in, creates a team, sees it listed and logs out.
import { launch, need, check, axe } from "./lib.mjs";

const base = need("URENWINST_URL");
const email = need("URENWINST_EMAIL");
const password = need("URENWINST_PASSWORD");
const orgId = need("URENWINST_ORG_ID");
const shots = process.env.URENWINST_SCREENSHOTS;

const browser = await launch();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = [];
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  await page.goto(`${base}/`);
  check(page.url().includes("/inloggen"), `expected the login page, got ${page.url()}`);
  await axe(page, "the login page");
  await page.getByLabel("E-mailadres").fill(email);
  await page.getByLabel("Wachtwoord").fill(password);
  await page.getByRole("button", { name: "Inloggen" }).click();
  await page.waitForURL(/\/dashboard/);
  check(await page.getByRole("heading", { name: /Overzicht/ }).isVisible(), "dashboard heading");
  await axe(page, "the programme admin's dashboard");

  await page.goto(`${base}/organisaties/${orgId}`);
  await axe(page, "the organisation page");
  const team = `Team Browsertest ${Date.now() % 100000}`;
  await page.getByLabel("Nieuw team").fill(team);
  await page.getByRole("button", { name: "Team toevoegen" }).click();
  await page.waitForLoadState("load");
  check(await page.getByRole("status").innerText().then((t) => t.includes("is toegevoegd")), "flash message");
  check(await page.getByRole("cell", { name: team, exact: true }).isVisible(), `team ${team} listed`);
  if (shots) await page.screenshot({ path: `${shots}/organisatie.png`, fullPage: true });
  await axe(page, "the organisation page with a new team");

  await page.getByRole("button", { name: "Uitloggen" }).click();
  await page.waitForURL(/\/inloggen/);
  await page.goto(`${base}/dashboard`);
  check(page.url().includes("/inloggen"), "after logout the dashboard asks for a login");
  check(errors.length === 0, `console errors (CSP?): ${errors.join(" | ")}`);
  console.log(`browser admin flow ok: created and saw '${team}'`);
} finally {
  await browser.close();
}

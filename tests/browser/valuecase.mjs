// An organisation admin opens the Value Case of a demo organisation, sees its sections,
// charts and suppressed figures, downloads the PDF and shares the report with the
// organisation; then opens the interview.
import { readFileSync } from "node:fs";
import { launch, need, check, axe } from "./lib.mjs";

const base = need("URENWINST_URL");
const email = need("URENWINST_EMAIL");
const password = need("URENWINST_PASSWORD");
const orgId = need("URENWINST_ORG_ID");
const shots = process.env.URENWINST_SCREENSHOTS;

const browser = await launch();
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  const errors = [];
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  page.on("dialog", (d) => d.accept());
  await page.goto(`${base}/inloggen`);
  await page.getByLabel("E-mailadres").fill(email);
  await page.getByLabel("Wachtwoord").fill(password);
  await page.getByRole("button", { name: "Inloggen" }).click();
  await page.waitForURL(/\/dashboard/);

  await page.goto(`${base}/organisaties/${orgId}`);
  await page.getByRole("link", { name: "Value Case" }).click();
  await page.waitForURL(/\/value-case/);
  await page.getByRole("heading", { name: "Value Case", exact: true }).first().waitFor();
  const text = await page.locator("main").innerText();
  for (const section of ["Samenvatting", "Het potentieel", "Voorwaarden en belemmeringen",
    "Het contractbeeld", "Aanbevelingen", "Bronnen en methode"]) {
    check(text.includes(section), `section ${section} shown`);
  }
  check(text.includes("45%"), "the reference case's 45% open");
  check(text.includes("–"), "a suppressed figure shown as –");
  check(await page.locator("main svg").count() >= 3, "charts shown");
  if (shots) await page.screenshot({ path: `${shots}/value-case.png`, fullPage: true });
  await axe(page, "the Value Case");

  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Download als PDF" }).click(),
  ]);
  const path = await download.path();
  const bytes = readFileSync(path);
  check(bytes.subarray(0, 5).toString() === "%PDF-", "the download is a PDF");
  check(bytes.length > 10_000, `the PDF has content (${bytes.length} bytes)`);
  check(download.suggestedFilename().endsWith(".pdf"), "named .pdf");

  await page.getByRole("button", { name: "Delen met de organisatie" }).click();
  await page.waitForLoadState("load");
  const after = await page.locator("main").innerText();
  check(after.includes("gedeeld met de organisatie"), "sharing confirmed");
  check(after.includes("Gedeeld:"), "the share is listed with when and by whom");
  await axe(page, "the Value Case after sharing");

  await page.goto(`${base}/organisaties/${orgId}/interview`);
  await page.getByRole("heading", { name: "Interview Fase 0" }).waitFor();
  check(await page.getByRole("button", { name: "Interview opslaan" }).count() === 1, "the admin can edit");
  await axe(page, "the interview");
  check(errors.length === 0, `console errors: ${errors.join(" | ")}`);
  console.log("browser value case flow ok");
} finally {
  await browser.close();
}

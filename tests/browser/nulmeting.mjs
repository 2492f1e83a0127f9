// An organisation admin uploads an HR extract, picks the wrong column for the contract
// hours, sees the Dutch message naming row and field, fixes the mapping, and sees the
// contract picture; every sub-page of the baseline (and its print view) passes axe-core
// and fits a phone (390 px) without sideways scrolling.
import { launch, need, check, axe, noSidewaysScroll } from "./lib.mjs";

const base = need("URENWINST_URL");
const email = need("URENWINST_EMAIL");
const password = need("URENWINST_PASSWORD");
const orgId = need("URENWINST_ORG_ID");
const file = need("URENWINST_HR_FILE");
const shots = process.env.URENWINST_SCREENSHOTS;

const browser = await launch();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = [];
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  await page.goto(`${base}/inloggen`);
  await page.getByLabel("E-mailadres").fill(email);
  await page.getByLabel("Wachtwoord").fill(password);
  await page.getByRole("button", { name: "Inloggen" }).click();
  await page.waitForURL(/\/dashboard/);

  await page.goto(`${base}/organisaties/${orgId}/nulmeting`);
  await axe(page, "the nulmeting page");
  await page.goto(`${base}/organisaties/${orgId}/nulmeting/bestanden`);
  await axe(page, "the nulmeting files page");
  await page.getByLabel("Peildatum (voor een HR-bestand)").fill("2024-03-01");
  await page.getByLabel("Bestand (CSV of Excel)").setInputFiles(file);
  await page.getByRole("button", { name: "Volgende: kolommen kiezen" }).click();
  await page.waitForURL(/\/koppelen\//);

  await axe(page, "the column mapping");
  const hours = page.locator("#map-contract_hours");
  const proposed = await hours.inputValue();
  check(proposed !== "", "a column is proposed for the contract hours");
  const functionColumn = await page.locator("#map-function").inputValue();
  check(functionColumn !== "", "a column is proposed for the function");
  // The wrong column: the function names are no numbers.
  await hours.selectOption(functionColumn);
  await page.getByRole("button", { name: "Inlezen" }).click();
  await page.waitForLoadState("load");
  const text = await page.locator("main").innerText();
  check(text.includes("Er is niets ingelezen"), "nothing imported after the wrong mapping");
  check(/rij \d+: contracturen/.test(text), "the message names row and field");
  if (shots) await page.screenshot({ path: `${shots}/nulmeting-fout.png`, fullPage: true });
  await axe(page, "the mapping with an error");

  await page.locator("#map-contract_hours").selectOption(proposed);
  await page.getByRole("button", { name: "Inlezen" }).click();
  await page.waitForURL(/\/nulmeting(\?|$|#)/);
  await page.getByRole("heading", { name: "Nulmeting: contractbeeld" }).waitFor();
  const picture = await page.locator("main").innerText();
  check(picture.includes("01-03-2024"), "the snapshot's peildatum in Dutch format");
  await axe(page, "the contract picture");
  await page.getByRole("navigation", { name: "Onderdelen van de nulmeting" }).getByRole("link", { name: "Verdeling" }).click();
  await page.waitForURL(/\/nulmeting\/verdeling/);
  check(await page.locator("main svg").count() > 0, "charts shown");
  if (shots) await page.screenshot({ path: `${shots}/nulmeting-beeld.png`, fullPage: true });
  await axe(page, "the distribution");

  // Every sub-page and its print view at phone size: no sideways scrolling, no violations.
  const phone = page;
  await phone.setViewportSize({ width: 390, height: 844 });
  for (const sub of ["", "/verdeling", "/urenruimte", "/vergelijking", "/pnil", "/bestanden"]) {
    for (const print of ["", "/afdrukken"]) {
      const url = `${base}/organisaties/${orgId}/nulmeting${sub}${print}`;
      await phone.goto(url);
      await noSidewaysScroll(phone, `nulmeting${sub}${print} at 390 px`);
      await axe(phone, `nulmeting${sub}${print} at 390 px`);
    }
  }
  if (shots) await phone.screenshot({ path: `${shots}/nulmeting-telefoon.png`, fullPage: true });
  check(errors.length === 0, `console errors: ${errors.join(" | ")}`);
  console.log("browser nulmeting flow ok");
} finally {
  await browser.close();
}

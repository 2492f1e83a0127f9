// The WerkUrenBerekenaar without an account: fill the form for one example household
// (verzorgende IG with a partner), submit, and read the result; then the same link
// without JavaScript. The figure on the page must match POST /api/v1/calc.
import { launch, need, check, axe, noSidewaysScroll } from "./lib.mjs";

const base = need("URENWINST_URL");
const shots = process.env.URENWINST_SCREENSHOTS;

const input = {
  year: 2026,
  employee: { hourly_wage: 19.0, hours_per_week: 24, holiday_allowance: true, year_end_bonus: false,
              irregular_allowance_per_year: 1200, pension: "pfzw" },
  partner: { annual_gross_wage: 32000, pension: "none" },
  children: [{ age: 8 }, { age: 13 }],
  rent_per_month: 780,
  childcare: [],
  hours: [32],
};

// "€ 1.234,56" with a sign, as the page writes it.
function dutchSigned(v) {
  const abs = Math.abs(v).toFixed(2);
  const [int, frac] = abs.split(".");
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  const sign = v > 0 ? "+ " : v < 0 ? "− " : "";
  return `${sign}€ ${grouped},${frac}`;
}

const api = await fetch(`${base}/api/v1/calc`, {
  method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(input),
});
check(api.status === 200, `API status ${api.status}`);
const expected = dutchSigned((await api.json()).scenarios[0].extra_disposable_income_per_month);

const browser = await launch();
try {
  const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  const errors = [];
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(`${base}/berekenaar`);
  check(await page.getByRole("heading", { name: "WerkUrenBerekenaar" }).isVisible(), "page heading");
  await axe(page, "the calculator");
  // Fields that do not apply are hidden by the script.
  check(await page.getByLabel("Bruto jaarloon van je partner").isHidden(), "partner field hidden for a single person");

  // Step one starts with the cao (VVT first) and the job title; the job sets its scale.
  check(await page.getByLabel("Mijn cao").inputValue() === "vvt", "CAO VVT first");
  await page.getByLabel(/^Functie/).selectOption("verzorgende-ig");
  check(await page.locator("#fwg").inputValue() === "35", "job title sets FWG 35");
  check(await page.getByLabel("Bruto uurloon in euro's").isHidden(), "hourly wage hidden while the scale is used");
  // "Weet ik niet": the hourly wage, without a cao (as in the API input above).
  await page.getByLabel("Mijn cao").selectOption("geen");
  await page.getByLabel("Ik weet mijn").selectOption("uur");
  await page.getByLabel("Bruto uurloon in euro's").fill("19,00");
  await page.getByLabel("Nu", { exact: true }).fill("24");
  await page.getByLabel("Straks", { exact: true }).fill("32");
  await page.getByText("Meer over je loon").click();
  await page.getByLabel(/Onregelmatigheidstoeslag \(ORT\) per jaar/).fill("1200");
  await page.getByLabel("Ik ben").selectOption("partner");
  await page.getByLabel("Bruto jaarloon van je partner").fill("32.000");
  await page.getByLabel("Leeftijd kind 1").fill("8");
  await page.getByLabel("Leeftijd kind 2").fill("13");
  await page.getByLabel("Kale huur per maand").fill("780");
  await page.getByRole("button", { name: "Bereken" }).click();

  const headline = page.locator("#uitkomst .headline");
  await headline.filter({ hasText: "Van 24 naar 32 uur" }).waitFor({ timeout: 15000 });
  const text = (await headline.innerText()).replace(/\s+/g, " ");
  check(text.includes(expected), `headline '${text}' should show ${expected}`);
  check(await page.locator("#uitkomst svg.chart").isVisible(), "chart shown");
  check(await page.getByRole("row", { name: /Kindgebonden budget/ }).isVisible(), "toeslag row");
  // The address bar carries the inputs (the share link); nothing else does.
  check(page.url().includes("uurloon=19") && page.url().includes("kind2=13"), `url ${page.url()}`);
  const share = await page.locator("#deellink").inputValue();
  check(share.includes("partnerloon=32.000"), `share link ${share}`);
  if (shots) await page.screenshot({ path: `${shots}/berekenaar.png`, fullPage: true });
  await axe(page, "the calculator result");

  // An invalid value: a Dutch message naming the field, no figures.
  await page.getByLabel("Bruto uurloon in euro's").fill("abc");
  await page.locator("#uitkomst").getByText("Controleer je invoer").waitFor({ timeout: 15000 });
  check(await page.locator("#uitkomst table").count() === 0, "no figures for invalid input");
  check(await page.locator("#uurloon").getAttribute("aria-invalid") === "true", "field marked invalid");
  await axe(page, "the calculator with an invalid value");

  // The same link without JavaScript: a plain GET renders the same figure.
  const ctx = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
  const plain = await ctx.newPage();
  await plain.goto(share.replace(/^https?:\/\/[^/]+/, base));
  const plainText = (await plain.locator("#uitkomst .headline").innerText()).replace(/\s+/g, " ");
  check(plainText.includes(expected), `no-JS headline '${plainText}' should show ${expected}`);
  // (axe-core needs JavaScript; the same result page was checked above.)
  await ctx.close();

  // On a phone (390x844) an example jumps straight to its result; the comparison is
  // stacked as cards with the difference in view; nothing scrolls sideways.
  const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  phone.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  await phone.goto(`${base}/berekenaar`);
  await phone.locator(".examples li > a:not(.print-link)").first().click();
  await phone.waitForLoadState("load");
  check(phone.url().endsWith("#uitkomst"), `an example links to its result: ${phone.url()}`);
  await phone.locator("#uitkomst .headline").waitFor();
  const top = await phone.evaluate(() => document.getElementById("uitkomst").getBoundingClientRect().top);
  check(top > -2 && top < 200, `the result is in view after choosing an example (top ${top})`);
  const diff = phone.locator("#uitkomst tr.total td.diff").first();
  check(await diff.isVisible(), "the difference of the total line is shown");
  const box = await diff.boundingBox();
  check(box.x >= 0 && box.x + box.width <= 390, `the difference fits the screen (${box.x} + ${box.width})`);
  await noSidewaysScroll(phone, "the calculator result at 390 px");
  await axe(phone, "the calculator result on a phone");
  if (shots) await phone.screenshot({ path: `${shots}/berekenaar-telefoon.png`, fullPage: true });
  // Above 40 hours a week the page warns.
  await phone.getByLabel("Straks", { exact: true }).fill("44");
  await phone.getByRole("button", { name: "Bereken" }).click();
  await phone.locator("#uren-waarschuwing").waitFor({ timeout: 15000 });
  check((await phone.locator("#uren-waarschuwing").innerText()).includes("44 uur per week"), "warning names the hours");
  await noSidewaysScroll(phone, "the calculator with the 40-hour warning");

  // The invalid input is answered with status 400, which Chromium reports as a failed
  // resource; anything else (a CSP refusal, a script error) fails the check.
  const real = errors.filter((e) => !e.includes("status of 400"));
  check(real.length === 0, `console errors (CSP?): ${real.join(" | ")}`);
  console.log(`browser calculator ok: ${text}`);
} finally {
  await browser.close();
}

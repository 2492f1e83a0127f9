// An employee answers the whole survey on a phone-sized screen (390x844) with a
// single-use code, going back once, and reaches the closing page with the link to the
// WerkUrenBerekenaar.
import { launch, need, check, axe } from "./lib.mjs";

const link = need("URENWINST_SURVEY_LINK");
const shots = process.env.URENWINST_SCREENSHOTS;

const browser = await launch();
try {
  const page = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const errors = [];
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  await page.goto(link);
  await axe(page, "the survey introduction");
  // The introduction page starts the survey with a link.
  await page.getByRole("link", { name: /Beginnen|Start/ }).click();
  await page.waitForLoadState("load");
  let wentBack = false;
  for (let step = 0; step < 20; step++) {
    if (page.url().includes("/enquete/klaar")) break;
    const form = page.locator("form.stack");
    for (const input of await form.locator("input[inputmode=decimal]").all()) {
      const id = await input.getAttribute("name");
      const value = { contract_uren: "24", gewerkte_uren: "26", gewenste_uren: "28" }[id] ?? "3";
      await input.fill(value);
    }
    for (const fieldset of await form.locator("fieldset").all()) {
      const preferred = fieldset.locator("input[value=ja_onder_voorwaarden]");
      if (await preferred.count()) { await preferred.check(); continue; }
      const boxes = fieldset.locator("input[type=checkbox]");
      if (await boxes.count()) { await boxes.first().check(); continue; }
      const radios = fieldset.locator("input[type=radio]");
      if (await radios.count()) await radios.first().check();
    }
    await axe(page, `survey step ${step + 1}`);
    if (shots && step === 1) await page.screenshot({ path: `${shots}/enquete-stap.png`, fullPage: true });
    if (!wentBack && step === 2) {
      // Back navigation keeps the answers of the previous step.
      wentBack = true;
      await page.locator("button[value=vorige]").click();
      await page.waitForLoadState("load");
      const kept = await page.locator("input:checked, input[inputmode=decimal]").count();
      check(kept > 0, "answers are kept after going back");
      continue;
    }
    await page.locator("button[value=volgende]:not(.default-submit)").click();
    await page.waitForLoadState("load");
    const alert = page.locator("[role=alert]");
    if (await alert.count()) throw new Error(`validation stopped the survey: ${await alert.innerText()}`);
  }
  check(page.url().includes("/enquete/klaar"), `expected the closing page, got ${page.url()}`);
  check(await page.locator('a[href*="/berekenaar"]').count() > 0, "closing page links to the WerkUrenBerekenaar");
  if (shots) await page.screenshot({ path: `${shots}/enquete-klaar.png`, fullPage: true });
  await axe(page, "the survey's closing page");
  // The code works once (the refusal is an intended 410, not a console error to count).
  const before = errors.length;
  await page.goto(link);
  errors.splice(before);
  const body = await page.locator("body").innerText();
  check(!(await page.locator("form.stack button[value=volgende]").count()), `a used code opens no survey: ${body.slice(0, 200)}`);
  await axe(page, "a used survey code");
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
  check(!overflow, "no horizontal scrolling at 390 px");
  check(errors.length === 0, `console errors: ${errors.join(" | ")}`);
  console.log("browser survey flow ok");
} finally {
  await browser.close();
}

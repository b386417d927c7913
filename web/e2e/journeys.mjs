// Whole journeys through the web portal in a real browser (Debian's Chromium driven by
// playwright-core; no browser is ever downloaded), against a running local stack:
//
//   node e2e/journeys.mjs http://127.0.0.1:8080 [screenshot-dir]
//
// A new person gets a URN; an agency officer issues a secret; the owner activates, accepts the
// terms, adds a colleague as account user; the colleague sees declarations rights but no member
// controls; the owner edits the business's details; the owner offers a customs broker's business
// a delegation, the broker accepts it, acts for the business and the owner ends it; ownership
// moves to the colleague; the French switch shows French labels; the owner changes their e-mail
// with the code mailed to the new address; the former owner moves their user account to another
// sign-in; the
// new owner closes the business account. Every page
// is screenshotted (screenshot-dir, default ../local-tests/artifacts/screenshots) and checked
// with axe-core for WCAG 2.1 A/AA violations. Exits non-zero at the first failed step.

import { mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
const API = (process.argv[2] ?? process.env.API_URL ?? "").replace(/\/$/, "");
const SHOTS = resolve(process.argv[3] ?? process.env.SCREENSHOT_DIR ?? join(here, "..", "..", "local-tests", "artifacts", "screenshots"));
const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
// moto's SES: where a code sent by e-mail is read back (test_web passes it).
const MOTO = (process.env.MOTO_URL ?? "").replace(/\/$/, "");
// The design system draws its radio buttons and check boxes over the native inputs (the label
// takes the click): Playwright clicks where the input is, and the label ticks it.
const DRAWN = { force: true };
const TIMEOUT = 90_000; // a function's first call may start (or rebuild) it under cargo lambda watch

if (!API) {
  console.error("usage: node e2e/journeys.mjs API_URL [screenshot-dir]");
  process.exit(2);
}

const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
mkdirSync(SHOTS, { recursive: true });
// Only this run's pictures stay (the folder is the journeys' own: nothing else writes there).
for (const name of readdirSync(SHOTS)) if (/\.(png|pdf)$/.test(name)) rmSync(join(SHOTS, name));

// ---------------------------------------------------------------- helpers

const started = Date.now();
let shotCount = 0;
let steps = 0;
const problems = []; // page errors and CSP violations, from every page

function check(condition, message) {
  if (!condition) throw new Error(message);
}

function rand(n, alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789") {
  let s = "";
  for (let i = 0; i < n; i++) s += alphabet[Math.floor(Math.random() * alphabet.length)];
  return s;
}

function luhn(body) {
  let total = 0;
  [...body].reverse().forEach((ch, i) => {
    let d = Number(ch);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    total += d;
  });
  return String((10 - (total % 10)) % 10);
}

function newBn9() {
  const body = rand(8, "0123456789");
  return body + luhn(body);
}

/** Screenshot of the whole page, and an axe-core WCAG 2.1 A/AA check of it. */
async function shot(page, name) {
  shotCount += 1;
  const file = join(SHOTS, `${String(shotCount).padStart(2, "0")}-${name}.png`);
  // Let the focus ring and fonts settle.
  await page.waitForTimeout(150);
  await page.screenshot({ path: file, fullPage: true });
  // evaluate() is not subject to the page's Content-Security-Policy, unlike a <script> tag.
  await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    const result = await globalThis.axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")),
    }));
  });
  check(violations.length === 0, `accessibility (axe, WCAG 2.1 AA) on ${name}: ${JSON.stringify(violations, null, 1)}`);
}

async function step(name, fn) {
  const t0 = Date.now();
  try {
    await fn();
  } catch (error) {
    console.log(`FAIL  ${((Date.now() - t0) / 1000).toFixed(1)}s  ${name}`);
    throw Object.assign(error, { step: name });
  }
  steps += 1;
  console.log(`ok    ${((Date.now() - t0) / 1000).toFixed(1).padStart(5)}s  ${name}`);
}

async function newPerson(browser, label) {
  const context = await browser.newContext({ locale: "en-CA", viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(TIMEOUT);
  const page = await context.newPage();
  page.on("pageerror", (e) => problems.push(`${label}: page error: ${e.message}`));
  page.on("console", (m) => {
    if (/Content.Security.Policy|Refused to/i.test(m.text())) problems.push(`${label}: ${m.text()}`);
  });
  page.label = label;
  return page;
}

/** The text of the page's success notice (shown after a change). */
async function flash(page, pattern) {
  try {
    // A notice already checked is marked seen: the next check waits for a new one.
    await page.locator("#flash:not([data-seen])", { hasText: pattern }).waitFor({ timeout: TIMEOUT });
  } catch (error) {
    const shown = await page.locator("#flash").allInnerTexts();
    const summary = await page.locator(".error-summary:not([hidden])").allInnerTexts();
    throw new Error(`${page.label}: no notice matching ${pattern} (notice: ${JSON.stringify(shown)}, errors: ${JSON.stringify(summary)})`);
  }
  const text = await page.locator("#flash").innerText();
  await page.locator("#flash").evaluate((el) => el.setAttribute("data-seen", ""));
  return text;
}

/** The row `selector` names in the letter queue, paging on (oldest first) until it shows. */
async function letterRow(page, selector) {
  for (let pages = 0; pages < 50; pages++) {
    const row = page.locator(selector);
    if (await row.count()) return row;
    const next = page.locator("#letters-next");
    if (!(await next.count())) break;
    const shown = await page.locator(".pager-page").innerText();
    await next.click();
    await page.waitForFunction((before) => document.querySelector(".pager-page")?.textContent !== before, shown);
  }
  throw new Error(`no letter ${selector} on any page`);
}

/** The letter queue's filter: a status (its label) and, if given, a Client Number or
 *  Business Number; the page then shows what was asked. */
async function filterLetters(page, { status, search = "" }, lang = "en") {
  const fr = lang === "fr";
  await page.getByLabel(fr ? "État" : "Status", { exact: true }).selectOption({ label: status });
  await page.getByLabel(fr ? /^Numéro de client ou numéro d'entreprise/ : /^Client Number or Business Number/).fill(search);
  // The page drawn before is marked: the one asked for has a new lead paragraph.
  await page.locator("#letters-lead").evaluateAll((els) => els.forEach((el) => el.setAttribute("data-stale", "")));
  await page.getByRole("button", { name: fr ? "Afficher les lettres" : "Show letters" }).click();
  await page.locator("#letters-lead:not([data-stale])").waitFor();
}

/** A letter's code: masked until its toggle is pressed, then shown in full (and masked again). */
async function revealCode(page, row, hidden, show, hide) {
  const value = row.locator(".code-value");
  check((await value.innerText()) === hidden, `${page.label}: the code is not masked (${await value.innerText()})`);
  check(!/[A-Z0-9]{4}-[A-Z0-9]{4}-/.test(await page.locator("main").innerText()), `${page.label}: a code on screen before it is asked for`);
  await row.getByRole("button", { name: show }).click();
  const code = await value.innerText();
  check(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){5}$/.test(code), `${page.label}: the code shown is ${code}`);
  check((await row.getByRole("button", { name: hide }).getAttribute("aria-pressed")) === "true", "the toggle is not pressed");
  return code;
}

/** Clicks `button`, takes the PDF it downloads and checks it is one and has `texts` in it
 *  (jsPDF writes its text uncompressed). */
async function expectPdf(page, button, texts) {
  const [download] = await Promise.all([page.waitForEvent("download"), button.click()]);
  const bytes = readFileSync(await download.path());
  // Kept beside the screenshots, to be looked at (pdftoppm turns it into pictures).
  await download.saveAs(join(SHOTS, `${String(shotCount).padStart(2, "0")}-${page.label}-${download.suggestedFilename()}`));
  check(bytes.subarray(0, 5).toString("latin1") === "%PDF-", `${page.label}: ${download.suggestedFilename()} is not a PDF`);
  const text = bytes.toString("latin1");
  for (const wanted of texts) check(text.includes(wanted), `${page.label}: the PDF lacks ${wanted}`);
  check(/\/Type \/Page\b/.test(text), `${page.label}: the PDF has no page`);
}

async function heading(page, text) {
  await page.locator("h1", { hasText: text }).waitFor();
}

/** After a refused submit: the summary has focus, names the field, and the field is marked. */
async function expectFieldError(page, form, field, pattern) {
  const summary = page.locator(`#${form}-summary`);
  await summary.waitFor();
  const focused = await page.evaluate(() => document.activeElement?.id);
  check(focused === `${form}-summary`, `${page.label}: focus is on #${focused}, not the error summary of ${form}`);
  check((await summary.getAttribute("aria-live")) === "assertive", "the error summary is not a live region");
  const id = `${form}-${field.replace(/[^a-zA-Z0-9_-]/g, "-")}`;
  // The component draws its message on its next render, after the summary: wait (up to 5 s)
  // for it, then check it.
  await page.locator(`#${id}`).evaluate(async (el) => {
    const host = el.shadowRoot ? el : el.getRootNode().host;
    for (let i = 0; i < 50 && !host.shadowRoot.querySelector("gcds-error-message")?.textContent; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });
  // The design-system field (its input, or a radio group's element) shows the message by the
  // field and says on each input that it is invalid, pointing at the message.
  const shown = await page.locator(`#${id}`).evaluate((el) => {
    const host = el.shadowRoot ? el : el.getRootNode().host;
    const error = host.shadowRoot.querySelector("gcds-error-message");
    const inputs = Array.from(host.shadowRoot.querySelectorAll("input, select, textarea"));
    return {
      target: host.tagName === "GCDS-RADIOS" ? `${el.id}-0` : el.id,
      text: error?.textContent ?? "",
      invalid: inputs.length > 0 && inputs.every((i) => i.getAttribute("aria-invalid") === "true"),
      described: inputs.every(
        (i) =>
          (i.getAttribute("aria-describedby") ?? "").split(" ").includes(error?.id) ||
          i.getAttribute("aria-description") === error?.textContent,
      ),
    };
  });
  check(pattern.test(shown.text), `${page.label}: error by ${field} is ${JSON.stringify(shown.text)}, expected ${pattern}`);
  check(shown.invalid, `${field} is not aria-invalid`);
  check(shown.described, `${field} does not point at its error message`);
  const target = shown.target;
  const link = summary.locator(`a[href="#${target}"]`);
  check((await link.count()) === 1, `the error summary has no link to ${field}`);
}

/** A page at phone size: nothing wider than the screen (no sideways scrolling). */
async function phone(page, path, title, name, more) {
  await page.goto(`${API}${path}`);
  await heading(page, title);
  const [scroll, width] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  check(scroll <= width, `${page.label}: ${path} is ${scroll}px wide on a ${width}px screen`);
  await more();
  await shot(page, name);
}

/** The element is inside the screen's width (not pushed off to the side). */
async function inView(page, locator, what) {
  const box = await locator.boundingBox();
  const width = await page.evaluate(() => window.innerWidth);
  check(box && box.x >= 0 && box.x + box.width <= width, `${page.label}: ${what} is off-screen (${JSON.stringify(box)})`);
}

async function signIn(page, name, { idp = "GCKey", officer = false } = {}) {
  await page.goto(`${API}/sign-in`);
  await heading(page, /Sign in|Se connecter/);
  await page.getByLabel(idp === "GCKey" ? "GCKey" : /Sign-In Partner|Partenaire de connexion/).check(DRAWN);
  await page.getByLabel(/^(User name|Nom d'utilisateur)/).fill(name);
  if (officer) await page.getByLabel(/agency officer|agent de l'Agence/).check(DRAWN);
  await page.getByRole("button", { name: /^(Sign in|Se connecter)$/ }).click();
}

async function createAccount(page, { name, email, language = "English" }) {
  await heading(page, /Create your user account|Créer votre compte/);
  await page.getByLabel(/^(Full name|Nom complet)/).fill(name);
  await page.getByLabel(/^(Email address|Adresse courriel)/).fill(email);
  await page.getByLabel(/^(Telephone number|Numéro de téléphone)/).fill("+1 613 555 0100");
  await page.getByLabel(language, { exact: true }).check(DRAWN);
  await page.getByLabel(/terms and conditions|conditions d'utilisation/).check(DRAWN);
  await page.getByRole("button", { name: /Create my user account|Créer mon compte/ }).click();
  const urn = await page.locator("#urn").innerText();
  check(/^\d{10}$/.test(urn.trim()), `URN shown is ${JSON.stringify(urn)}`);
  return urn.trim();
}

/** A call to the API as the person signed in on `page` (their session's token): {status, json}. */
async function apiAs(page, method, path, body) {
  return page.evaluate(
    async ([method, path, body]) => {
      const token = JSON.parse(sessionStorage.getItem("portal.session") ?? "{}").token;
      const r = await fetch(path, {
        method,
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: body === null ? undefined : JSON.stringify(body),
      });
      const text = await r.text();
      return { status: r.status, json: text ? JSON.parse(text) : null };
    },
    [method, path, body ?? null],
  );
}

/** The six-digit code of the newest mail to `address` in moto's SES (the outbox sends it from
 * the table's stream, moments after the request). */
async function mailedCode(address) {
  check(MOTO, "MOTO_URL is not set: the e-mailed code cannot be read back");
  for (let i = 0; i < 120; i++) {
    const data = await (await fetch(`${MOTO}/moto-api/data.json`)).json();
    const mails = (data.ses?.Message ?? []).filter((m) => m.destinations?.ToAddresses?.includes(address));
    const code = mails.map((m) => /^ {4}(\d{6})$/m.exec(m.body)?.[1]).filter(Boolean).pop();
    if (code) return code;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`no code mailed to ${address}`);
}

async function currentBusinessId(page) {
  const m = /\/business\/([0-9a-z]{26})/.exec(page.url());
  check(m, `not on a business page: ${page.url()}`);
  return m[1];
}

// ---------------------------------------------------------------- warm-up

/**
 * Calls every route the journeys use once, with requests each function refuses (no side
 * effects), so cargo lambda watch has started them all before a person waits on one. A
 * function that fails while it starts (5xx) is called again, a few times.
 */
async function warmUp() {
  const t0 = Date.now();
  const token = async (sub, roles = []) => {
    const r = await fetch(`${API}/_local/token`, {
      method: "POST",
      body: JSON.stringify({ sub, idp: "gckey", roles }),
    });
    return (await r.json()).access_token;
  };
  const person = await token(`warm-up-${rand(8)}`);
  const officerToken = await token(`warm-up-officer-${rand(8)}`, ["agency-officer"]);
  const nobody = "abcdefghijklmnopqrstuvwxyz";
  const calls = [
    ["GET", "/programs"],
    ["GET", "/users/me"],
    ["POST", "/users", {}],
    ["PATCH", "/users/me", {}],
    ["GET", "/users/me/businesses"],
    ["POST", "/registrations", {}],
    ["POST", "/activation-code-requests", {}],
    ["POST", "/businesses", {}],
    ["GET", `/businesses/${nobody}`],
    ["PATCH", `/businesses/${nobody}`, {}],
    ["DELETE", `/businesses/${nobody}`],
    ["POST", `/businesses/${nobody}/terms`, {}],
    ["GET", `/businesses/${nobody}/members`],
    ["PUT", `/businesses/${nobody}/members/1000000005`, {}],
    ["DELETE", `/businesses/${nobody}/members/1000000005`],
    ["POST", `/businesses/${nobody}/ownership-transfer`, {}],
    ["POST", `/businesses/${nobody}/ownership-transfer/accept`],
    ["DELETE", `/businesses/${nobody}/ownership-transfer`],
    ["PUT", `/businesses/${nobody}/information-sharing`, {}],
    ["GET", `/businesses/${nobody}/audit`],
    ["GET", `/businesses/${nobody}/delegations`],
    ["POST", `/businesses/${nobody}/delegations`, {}],
    ["POST", `/businesses/${nobody}/delegations/${nobody}/accept`],
    ["DELETE", `/businesses/${nobody}/delegations/${nobody}`],
    ["PUT", `/businesses/${nobody}/delegations/${nobody}/agents/1000000005`, {}],
    ["POST", "/users/me/credential-transfers"], // no user account: refused
    ["POST", "/credential-transfers/claim", {}],
    ["POST", "/agency/shared-secrets", {}, officerToken],
    ["GET", "/agency/letters?status=pending", undefined, officerToken],
    ["POST", "/agency/letters/nothing/mailed", undefined, officerToken],
    ["POST", "/agency/letters/nothing/approve", undefined, officerToken],
    ["POST", "/agency/letters/nothing/reject", {}, officerToken],
    ["PUT", "/agency/business-register/nothing", {}, officerToken],
    ["GET", "/agency/audit", undefined, officerToken],
    ["POST", "/agency/users/1000000005/reinstate", undefined, officerToken],
  ];
  for (const [method, path, body, bearer] of calls) {
    for (let attempt = 1; ; attempt++) {
      let status = 0;
      try {
        const r = await fetch(`${API}${path}`, {
          method,
          headers: { authorization: `Bearer ${bearer ?? person}`, "content-type": "application/json" },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(150_000),
        });
        status = r.status;
        await r.arrayBuffer();
      } catch {
        status = 0;
      }
      if (status !== 0 && status < 500) break;
      if (attempt === 4) throw new Error(`warm-up: ${method} ${path} answered ${status || "nothing"} ${attempt} times`);
    }
  }
  return ((Date.now() - t0) / 1000).toFixed(1);
}

// ---------------------------------------------------------------- the journeys

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  // A fresh temporary profile per launch (Playwright's own --user-data-dir); no network but loopback.
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});

const suffix = rand(6).toLowerCase();
const emanifestId = rand(4);
const bn = newBn9();
const legalName = `Northern Freight ${emanifestId} Ltd.`;
let colleagueUrn = "";
const colleagueEmail = () => `camille.${suffix}@example.com`;
let ownerUrn = "";
let businessId = "";
let clientNumber = "";
let secret = "";

let failure = null;
try {
  await step("warm-up: every function the journeys use has started", warmUp);

  const colleague = await newPerson(browser, "colleague");
  const officer = await newPerson(browser, "officer");
  const owner = await newPerson(browser, "owner");

  await step("the portal is served on the API's origin; a reload of a portal path gets the portal", async () => {
    const response = await colleague.goto(`${API}/business/abcdefghijklmnopqrstuvwxyz/members`);
    check(response.status() === 200, `GET a portal path: ${response.status()}`);
    await heading(colleague, /Sign in/); // not signed in: the sign-in page
    check((await colleague.evaluate(() => location.pathname)) === "/sign-in", "not sent to /sign-in");
    const api = await colleague.request.get(`${API}/programs`);
    check(api.status() === 200, "GET /programs on the same origin");
    await shot(colleague, "sign-in");
  });

  await step("a new person gets a URN (errors shown by their fields, kept over the French switch)", async () => {
    await signIn(colleague, `colleague-${suffix}`, { idp: "Sign-In Partner" });
    await heading(colleague, "Create your user account");
    await colleague.getByLabel(/^Full name/).fill("Camille Roy");
    await colleague.getByLabel(/^Email address/).fill("camille-at-example");
    await colleague.getByLabel(/^Telephone number/).fill("+1 613 555 0199");
    await colleague.getByRole("button", { name: "Create my user account" }).click();
    await expectFieldError(colleague, "new-account", "email", /Enter an email address/);
    await expectFieldError(colleague, "new-account", "terms_version", /Accept the terms and conditions/);
    await shot(colleague, "account-new-errors");

    // The switch shows the same problems in French and keeps what was typed.
    await colleague.locator("#lang-toggle a").click();
    await heading(colleague, "Créer votre compte d'utilisateur");
    check((await colleague.locator("html").getAttribute("lang")) === "fr", "html lang is not fr");
    const frError = await colleague.locator("#error-message-new-account-email").innerText();
    check(/Entrez une adresse courriel/.test(frError), `French email error: ${frError}`);
    check((await colleague.getByLabel(/^Nom complet/).inputValue()) === "Camille Roy", "name lost on the switch");
    check((await colleague.getByLabel(/^Adresse courriel/).inputValue()) === "camille-at-example", "email lost");
    // The new switch is drawn by its web component a moment later; the focus goes back into it.
    await colleague
      .waitForFunction(() => document.activeElement?.id === "lang-toggle", null, { timeout: 5000 })
      .catch(() => check(false, "focus left the switch"));
    // The terms are readable beside the box, in the page's language.
    const terms = await colleague.locator(".terms-beside a").getAttribute("href");
    check(/^\/terms\/[0-9-]+\.fr\.html$/.test(terms ?? ""), `portal terms link in French: ${terms}`);
    await shot(colleague, "account-new-errors-fr");

    await colleague.getByLabel(/^Adresse courriel/).fill(colleagueEmail());
    await colleague.getByLabel("Français", { exact: true }).check(DRAWN);
    await colleague.getByLabel(/conditions d'utilisation/).check(DRAWN);
    await colleague.getByRole("button", { name: "Créer mon compte d'utilisateur" }).click();
    await heading(colleague, "Votre compte d'utilisateur est créé");
    colleagueUrn = (await colleague.locator("#urn").innerText()).trim();
    check(/^\d{10}$/.test(colleagueUrn), `URN ${colleagueUrn}`);
    await shot(colleague, "account-created-urn");
  });

  await step("an agency officer signs in with the keyboard only (focus order)", async () => {
    await officer.goto(`${API}/sign-in`);
    await heading(officer, "Sign in");
    const focused = () =>
      officer.evaluate(() => {
        // Down through the design system's shadow roots: the innermost focused element with an id.
        let el = document.activeElement;
        let named = el?.id ? el : null;
        while (el?.shadowRoot?.activeElement) {
          el = el.shadowRoot.activeElement;
          if (el.id) named = el;
        }
        return named?.id || el.className || el.tagName;
      });
    // A page opens with the focus on its heading; before it, the header; after it, the form.
    check((await focused()) === "H1", `focus starts on ${await focused()}, not the page's heading`);
    const backward = [];
    for (let i = 0; i < 4; i++) {
      await officer.keyboard.press("Shift+Tab");
      backward.push(await focused());
    }
    // The GC Design System's header: skip link, language toggle, signature, the portal's name.
    const header = ["product-name", "signature", "lang-toggle", "skip-link"];
    check(JSON.stringify(backward) === JSON.stringify(header), `header focus order ${backward} != ${header}`);
    await officer.keyboard.press("Enter"); // the skip link: focus to the main content
    check((await focused()) === "main", `the skip link moved the focus to ${await focused()}`);
    const forward = [];
    for (let i = 0; i < 4; i++) {
      await officer.keyboard.press("Tab");
      forward.push(await focused());
    }
    const form = ["signin-idp-0", "signin-sub", "signin-officer", "signin-submit"];
    check(JSON.stringify(forward) === JSON.stringify(form), `form focus order ${forward} != ${form}`);
    await officer.keyboard.press("Shift+Tab");
    await officer.keyboard.press("Space"); // the officer box
    await officer.keyboard.press("Shift+Tab");
    await officer.keyboard.type(`officer-${suffix}`);
    await officer.keyboard.press("Enter");
    await heading(officer, "Issue a shared secret");
  });

  await step("an agency officer issues a secret (a mistyped identifier is refused by its field)", async () => {
    await officer.getByLabel("Program").selectOption("emanifest");
    await officer.getByLabel(/^Business identifier/).fill("TOOLONG");
    await officer.getByLabel(/^Legal name/).fill(legalName);
    await officer.getByLabel(/^Mailing address/).fill("100 Wellington St\nOttawa ON  K1A 0A9");
    await officer.getByLabel(/^Contact email address/).fill(`contact.${suffix}@example.com`);
    await officer.getByRole("button", { name: "Issue the shared secret" }).click();
    await expectFieldError(officer, "issue-secret", "business_identifier", /carrier code/);
    check((await officer.getByLabel(/^Legal name/).inputValue()) === legalName, "legal name lost after the error");
    await shot(officer, "officer-secret-errors");
    await officer.getByLabel(/^Business identifier/).fill(emanifestId);
    await officer.getByRole("button", { name: "Issue the shared secret" }).click();
    await heading(officer, "Shared secret issued");
    secret = (await officer.locator("#shared-secret").innerText()).trim();
    check(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){5}$/.test(secret), `secret ${secret}`);
    await shot(officer, "officer-secret-issued");
  });

  await step("an agency officer's reinstate page: a mistyped URN by its field, an active account refused", async () => {
    await officer.goto(`${API}/officer/reinstate`);
    await heading(officer, "Reinstate a retired user account");
    await officer.getByLabel(/User Reference Number/).fill("1234567890");
    await officer.getByRole("button", { name: "Reinstate the account" }).click();
    await expectFieldError(officer, "reinstate-user", "urn", /URN is not valid/);
    await officer.getByLabel(/User Reference Number/).fill(colleagueUrn);
    await officer.getByRole("button", { name: "Reinstate the account" }).click();
    await officer.locator("#reinstate-user-summary", { hasText: "This user account is not retired." }).waitFor();
    await shot(officer, "officer-reinstate-not-retired");
  });

  await step("an agency officer imports a file of current members and reads its report", async () => {
    const carrier = rand(4);
    const csv = [
      "program,identifier,business_number,legal_name,mailing_address,email,language",
      `emanifest,${carrier},${newBn9()},"=cmd|' /C calc'!A0","1 Main St\nOttawa ON",import.${suffix}@example.com,fr`,
      `pip,${rand(4)},${newBn9()},Nobody,Nowhere,,`,
      "",
    ].join("\n");
    await officer.goto(`${API}/officer/imports`);
    await heading(officer, "Import current members");
    await officer.locator("#import-file").setInputFiles({ name: `members-${suffix}.csv`, mimeType: "text/csv", buffer: Buffer.from(csv) });
    await officer.getByRole("button", { name: "Import the file" }).click();
    await officer.locator("#import-report").waitFor();
    const issued = officer.locator('#import-report tr[data-outcome="issued"]');
    await issued.waitFor();
    check((await issued.innerText()).includes(carrier), "the issued line names its identifier");
    // The formula is shown as the text it is.
    check((await issued.innerText()).includes("=cmd|' /C calc'!A0"), "the legal name is shown as text");
    const refused = officer.locator('#import-report tr[data-outcome="refused"]');
    check((await refused.innerText()).includes("Unknown program"), "the refused line says why");
    check((await refused.getAttribute("data-line")) === "4", "the refused line is the file's fourth");
    await shot(officer, "officer-import-report");
  });

  await step("the owner creates a user account and sees an empty dashboard", async () => {
    await signIn(owner, `owner-${suffix}`);
    ownerUrn = await createAccount(owner, { name: "Alex Tremblay", email: `alex.${suffix}@example.com` });
    await owner.getByRole("link", { name: "Continue to my business accounts" }).click();
    await heading(owner, "My business accounts");
    await owner.getByText("You are not a member of any business account yet.").waitFor();
    await shot(owner, "dashboard-empty");
  });

  await step("the owner registers for TTP; the officer approves the letter in review, and mails it", async () => {
    await owner.getByRole("link", { name: "Register for the Trusted Trader Portal" }).click();
    await heading(owner, "Register for the Trusted Trader Portal");
    await owner.getByLabel(/^Business Number/).fill("123456789"); // wrong check digit
    await owner.getByLabel(/^Legal name/).fill(`Maple Logistics ${suffix} Inc.`);
    await owner.getByLabel(/^Mailing address/).fill("200 Laurier Ave W\nOttawa ON  K1P 6A6");
    await owner.getByRole("button", { name: "Register" }).click();
    await expectFieldError(owner, "register", "business_number", /not valid: check it for a typing mistake/);
    await shot(owner, "register-errors");
    await owner.getByLabel(/^Business Number/).fill(bn);
    await owner.getByRole("button", { name: "Register" }).click();
    await heading(owner, "Registration received");
    await owner.locator("#registration-received").getByText("Your letter is on its way.").waitFor();
    // The Client Number travels by mail only.
    check(!/P\d{8}/.test(await owner.locator("main").innerText()), "a Client Number on the page");
    await shot(owner, "register-done");

    // Not on the agency's register: the letter waits in review.
    await officer.getByRole("link", { name: "Letter queue" }).click();
    await heading(officer, "Letter queue");
    await filterLetters(officer, { status: "In review" });
    const review = await letterRow(officer, `#letters tr[data-business-number="${bn}"]`);
    await shot(officer, "letter-review");
    await review.getByRole("button", { name: /^Approve/ }).click();
    await flash(officer, /is approved and waits to be mailed/);

    await filterLetters(officer, { status: "To mail" });
    check((await officer.locator("#letters tr[data-status]:not([data-status=pending])").count()) === 0, "the filter shows other statuses");
    await shot(officer, "letter-queue");
    // Found by the Business Number, whatever its status: this one letter, its code masked.
    await filterLetters(officer, { status: "Any status", search: bn });
    const row = officer.locator(`#letters tr[data-business-number="${bn}"]`);
    await row.waitFor();
    check((await officer.locator("#letters tbody tr").count()) === 1, "the search shows other businesses' letters");
    clientNumber = (await row.getAttribute("data-identifier")) ?? "";
    check(/^P\d{8}$/.test(clientNumber), `client number ${clientNumber}`);
    const code = await revealCode(officer, row, "Hidden", /^Show code/, /^Hide code/);
    await shot(officer, "letter-search");
    // The registered-mail letter: a PDF with the Client Number and the code in full.
    await expectPdf(officer, row.getByRole("button", { name: /^Letter \(PDF\)/ }), [clientNumber, code, "Client Number", "Numéro de client"]);
    await row.getByRole("button", { name: /^Mark mailed\s*: the letter to / }).click();
    await flash(officer, /is marked as mailed/);

    await officer.getByRole("link", { name: "Agency audit" }).click();
    await heading(officer, "Agency audit");
    await officer.locator(`#agency-audit tr[data-action="letter.mailed"]`).first().waitFor();
    await shot(officer, "agency-audit");

    await owner.goto(`${API}/request-code`);
    await heading(owner, "Request a new activation code");
    await owner.getByLabel(/^Business identifier/).waitFor(); // no program yet: the three formats
    await owner.getByLabel("Program").selectOption("ttp");
    // The identifier's label, hint and pattern follow the program chosen.
    await owner.getByLabel(/^Client Number/).fill(clientNumber);
    await owner.getByText("Client Number, for example P12345674").waitFor();
    await owner.getByRole("button", { name: "Request a new code" }).click();
    await flash(owner, /If this identifier is on file/);
    await shot(owner, "request-code-done");
  });

  await step("the officer, in French on a phone, finds the new letter by Client Number, prints the page's letters and marks them mailed", async () => {
    await officer.setViewportSize({ width: 390, height: 844 });
    await officer.goto(`${API}/officer/letters`);
    await heading(officer, "Letter queue");
    await officer.locator("#lang-toggle a").click();
    await heading(officer, "File des lettres");
    await filterLetters(officer, { status: "À poster", search: clientNumber.toLowerCase() }, "fr");
    const row = officer.locator(`#letters tr[data-identifier="${clientNumber}"]`);
    await row.waitFor();
    check((await officer.locator("#letters tbody tr").count()) === 1, "the search by Client Number shows other letters");
    const [scroll, width] = await officer.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
    check(scroll <= width, `the letter search is ${scroll}px wide on a ${width}px screen`);
    const toggle = row.getByRole("button", { name: /^Afficher le code/ });
    await inView(officer, toggle, "the code's toggle");
    const code = await revealCode(officer, row, "Masqué", /^Afficher le code/, /^Masquer le code/);
    await shot(officer, "letter-search-fr-phone");
    await expectPdf(officer, officer.locator("#letters-batch-pdf"), [clientNumber, code, "Courrier recommand"]);
    await officer.getByRole("button", { name: /^Toutes les marquer postées/ }).click();
    await flash(officer, /Lettres marquées comme postées : 1/);
    await filterLetters(officer, { status: "Tous les états", search: clientNumber }, "fr");
    await row.first().waitFor();
    check((await officer.locator("#letters tr[data-status=mailed]").count()) === 2, "both letters of the Client Number are mailed");
    check((await officer.locator("#letters .code-toggle").count()) === 0, "a mailed letter still shows a code");
    await shot(officer, "letter-search-mailed-fr-phone");
    await officer.locator("#lang-toggle a").click();
    await heading(officer, "Letter queue");
    await officer.setViewportSize({ width: 1280, height: 900 });
  });

  await step("someone locked out of an identifier is offered a new code, one click away (French)", async () => {
    // Another credential's wrong tries: the fifth locks it out of this identifier (the owner's
    // own sign-in, holding the right secret, still activates below).
    const wrong = { program: "emanifest", business_identifier: emanifestId, shared_secret: "ABCD-EFGH-JKMN-PQRS-TVWX-YZ01",
      owner_contact: { position_title: "Clerk", address: "1 Main St\nOttawa ON", phone: "613-555-0100", email: colleagueEmail() } };
    for (let i = 0; i < 4; i++) {
      const tried = await apiAs(colleague, "POST", "/businesses", wrong);
      check(tried.status === 403 && tried.json.attempts_left === 4 - i, `wrong try ${i + 1}: ${tried.status} ${JSON.stringify(tried.json)}`);
    }
    await colleague.goto(`${API}/activate?program=emanifest&id=${emanifestId}`);
    await heading(colleague, "Activer un compte d'entreprise");
    await colleague.getByLabel(/^Code de transporteur/).waitFor();
    await colleague.getByLabel(/^Secret partagé/).fill(wrong.shared_secret);
    await colleague.getByLabel(/^Titre du poste/).fill("Commis");
    await colleague.getByLabel(/^Adresse(?! courriel)/).fill("1 rue Main\nOttawa ON");
    await colleague.getByLabel(/^Numéro de téléphone/).fill("613-555-0100");
    await colleague.getByLabel(/^Adresse courriel/).fill(colleagueEmail());
    await colleague.getByRole("button", { name: "Activer le compte d'entreprise" }).click();
    await expectFieldError(colleague, "activate", "shared_secret", /Trop d'essais erronés/);
    const link = colleague.locator("#locked-request-code");
    await link.waitFor();
    await shot(colleague, "activate-locked-fr");
    await link.click();
    await heading(colleague, "Demander un nouveau code d'activation");
    check((await colleague.getByLabel(/^Code de transporteur/).inputValue()) === emanifestId, "the identifier is not carried over");
  });

  await step("the owner activates the business (a wrong secret is refused, nothing typed is lost)", async () => {
    await owner.goto(`${API}/dashboard`);
    await owner.getByRole("link", { name: "Activate a business account" }).click();
    await heading(owner, "Activate a business account");
    await owner.getByLabel("Program").selectOption("emanifest");
    await owner.getByLabel(/^Carrier code/).fill(emanifestId);
    check(
      (await owner.locator("gcds-input[name=business_identifier]").getAttribute("pattern")) === "[A-Za-z0-9]{4}",
      "the identifier's pattern does not follow the program",
    );
    const wrong = secret.replace(/^..../, secret.startsWith("AAAA") ? "BBBB" : "AAAA");
    await owner.getByLabel(/^Shared secret/).fill(wrong);
    await owner.getByLabel(/^Position title/).fill("Director of Operations");
    await owner.getByLabel(/^Address/).fill("100 Wellington St\nOttawa ON  K1A 0A9");
    await owner.getByLabel(/^Telephone number/).fill("613-555-0142");
    await owner.getByLabel(/^Email address/).fill("bad-email");
    await owner.getByRole("button", { name: "Activate the business account" }).click();
    await expectFieldError(owner, "activate", "owner_contact.email", /Enter an email address/);
    await owner.getByLabel(/^Email address/).fill(`ops.${suffix}@example.com`);
    await owner.getByRole("button", { name: "Activate the business account" }).click();
    // Said by the secret, with the tries this sign-in has left before it is locked out.
    await expectFieldError(owner, "activate", "shared_secret",
      /The identifier and the shared secret do not match\. You have 4 tries left/);
    check((await owner.getByLabel(/^Position title/).inputValue()) === "Director of Operations", "position title lost");
    check((await owner.getByLabel(/^Shared secret/).inputValue()) === wrong, "secret lost");
    await shot(owner, "activate-refused");
    await owner.getByLabel(/^Shared secret/).fill(secret);
    await owner.getByRole("button", { name: "Activate the business account" }).click();
    await flash(owner, /activated and you are its owner/);
    businessId = await currentBusinessId(owner);
    check((await owner.locator("#my-role").getAttribute("data-role")) === "owner", "owner role");
    await shot(owner, "business-activated");
  });

  await step("before the terms are accepted, Edit details says they come first (the API answers 409)", async () => {
    await owner.locator("#manage").getByRole("link", { name: "Edit details" }).click();
    await heading(owner, "Edit the business account's details");
    await owner.locator("#edit-terms-needed", { hasText: "only once the program's terms are accepted" }).waitFor();
    check((await owner.locator("form#edit-business").count()) === 0, "the edit form is shown before the terms are accepted");
    const refused = await apiAs(owner, "PATCH", `/businesses/${businessId}`, { mailing_address: "1 Main St" });
    check(refused.status === 409, `PATCH before the terms: ${refused.status}`);
    await shot(owner, "business-edit-terms-needed");
    await owner.getByRole("link", { name: "Overview" }).click();
    await heading(owner, legalName);
  });

  await step("the owner accepts the program's terms (from the dashboard's to-do list; readable beside the box)", async () => {
    await owner.goto(`${API}/dashboard`);
    await heading(owner, "My business accounts");
    const todo = owner.locator(`#to-do li[data-kind="accept_terms"][data-business-id="${businessId}"]`);
    await todo.waitFor();
    await shot(owner, "dashboard-to-do-terms");
    await todo.getByRole("link").click();
    await heading(owner, "Program terms and conditions");
    const termsHref = await owner.locator(".terms-beside a").getAttribute("href");
    check(termsHref === "/terms/emanifest-2025-09.en.html", `terms link ${termsHref}`);
    const readable = await owner.request.get(`${API}${termsHref}`);
    check(readable.status() === 200 && /eManifest Portal: program terms/.test(await readable.text()), "the terms page");
    await owner.getByRole("button", { name: "Accept the terms" }).click();
    await expectFieldError(owner, "terms", "accept", /Confirm that you accept/);
    await owner.getByLabel(/I accept the program's terms/).check(DRAWN);
    await owner.getByRole("button", { name: "Accept the terms" }).click();
    await flash(owner, /The terms are accepted/);
    await owner.locator(".tag-authorized").waitFor();
    // The accepted version is on the business page, as a link to what was accepted.
    check((await owner.locator("#terms-accepted a").getAttribute("href")) === termsHref, "accepted version not linked");
    await shot(owner, "business-authorized");
  });

  await step("the owner adds the colleague as account user (by URN), changes and removes roles", async () => {
    await owner.getByRole("link", { name: "Members", exact: true }).click();
    await heading(owner, "Members");
    const bad = colleagueUrn.slice(0, 9) + String((Number(colleagueUrn[9]) + 1) % 10);
    await owner.getByLabel(/^User Reference Number/).fill(bad);
    await owner.getByLabel(/^Email address/).fill(colleagueEmail());
    // Each role says what it allows.
    await owner.getByText("Views, creates and edits declarations and lookups, and reads messages.").waitFor();
    await owner.getByText("Manages account users and browsers and reads the audit trail").waitFor();
    await owner.getByLabel("Account user", { exact: true }).check(DRAWN);
    await owner.getByRole("button", { name: "Add the member" }).click();
    await expectFieldError(owner, "add-member", "urn", /This URN is not valid/);
    await shot(owner, "members-add-error");
    // The right URN with another address is refused like an unknown URN.
    await owner.getByLabel(/^User Reference Number/).fill(colleagueUrn);
    await owner.getByLabel(/^Email address/).fill(`someone.${suffix}@example.com`);
    await owner.getByRole("button", { name: "Add the member" }).click();
    await expectFieldError(owner, "add-member", "urn", /No user account has this URN/);
    await owner.getByLabel(/^Email address/).fill(colleagueEmail().toUpperCase());
    await owner.getByRole("button", { name: "Add the member" }).click();
    await flash(owner, /Camille Roy is now Account user/);
    const row = owner.locator(`#members tr[data-urn="${colleagueUrn}"]`);
    check((await row.locator("td.role").getAttribute("data-role")) === "user", "colleague is not user");

    // A role is changed as it is given: radio buttons, each with what it allows, only the roles
    // the caller may give (an owner: proxy, user, browser; never owner), the current one chosen.
    await row.getByRole("button", { name: "Change role for Camille Roy" }).click();
    const change = owner.locator("#change-role");
    await change.waitFor();
    const offered = await change.locator('input[type="radio"]').evaluateAll((els) => els.map((e) => [e.value, e.checked]));
    check(
      JSON.stringify(offered) === JSON.stringify([["proxy", false], ["user", true], ["browser", false]]),
      `roles offered for a change: ${JSON.stringify(offered)}`,
    );
    await change.getByText("Views declarations, lookups and messages only; changes nothing.").waitFor();
    await change.getByLabel("Account browser", { exact: true }).check(DRAWN);
    await shot(owner, "members-change-role");
    // In French, the same choice and what each role allows (the choice made is kept).
    await owner.locator("#lang-toggle a").click();
    await change.getByRole("heading", { name: "Changer le rôle de Camille Roy" }).waitFor();
    await change.getByText("Consulte seulement les déclarations, les recherches et les messages; ne modifie rien.").waitFor();
    await shot(owner, "members-change-role-fr");
    await owner.locator("#lang-toggle a").click();
    await change.getByRole("heading", { name: "Change role for Camille Roy" }).waitFor();
    // On a phone the choices and the button are in view.
    await owner.setViewportSize({ width: 390, height: 844 });
    const [scroll, width] = await owner.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
    check(scroll <= width, `the role change is ${scroll}px wide on a ${width}px screen`);
    await inView(owner, change.getByLabel("Account browser", { exact: true }), "the browser role");
    await inView(owner, change.getByRole("button", { name: "Save the new role" }), "the save button");
    await shot(owner, "phone-members-change-role");
    await owner.setViewportSize({ width: 1280, height: 900 });
    await change.getByRole("button", { name: "Save the new role" }).click();
    await flash(owner, /Camille Roy is now Account browser/);
    check((await owner.locator("#change-role").count()) === 0, "the role change is still open");
    await owner.getByRole("button", { name: "Remove Camille Roy" }).click();
    await owner.locator("#confirm-remove").waitFor();
    await shot(owner, "members-remove-confirm");
    await owner.getByRole("button", { name: "Yes, remove Camille Roy" }).click();
    await flash(owner, /no longer has access/);
    check((await owner.locator(`#members tr[data-urn="${colleagueUrn}"]`).count()) === 0, "still listed");

    await owner.getByLabel(/^User Reference Number/).fill(colleagueUrn);
    await owner.getByLabel(/^Email address/).fill(colleagueEmail());
    await owner.getByLabel("Account user", { exact: true }).check(DRAWN);
    await owner.getByRole("button", { name: "Add the member" }).click();
    await flash(owner, /Camille Roy is now Account user/);
    await shot(owner, "members");
  });

  await step("the colleague (account in French) sees declarations rights but no member controls", async () => {
    await colleague.goto(`${API}/dashboard`);
    await heading(colleague, "Mes comptes d'entreprise");
    const row = colleague.locator(`#businesses tr[data-business-id="${businessId}"]`);
    check((await row.locator("td.role").getAttribute("data-role")) === "user", "colleague's dashboard role");
    await shot(colleague, "colleague-dashboard-fr");
    await row.getByRole("link").click();
    await heading(colleague, legalName);
    const perms = await colleague.locator("#permissions li").evaluateAll((els) => els.map((e) => e.dataset.permission));
    check(
      JSON.stringify(perms) === JSON.stringify(["declarations:view", "declarations:edit", "messages:view"]),
      `colleague's permissions: ${perms}`,
    );
    await colleague.getByText("Créer et modifier des déclarations et des recherches").waitFor();
    const tabs = await colleague.locator("nav.tabs a").allInnerTexts();
    check(!tabs.includes("Membres") && !tabs.includes("Piste de vérification"), `tabs shown: ${tabs}`);
    check((await colleague.locator("#manage").count()) === 0, "the colleague sees Edit details / Close");
    await shot(colleague, "colleague-business-fr");
    await colleague.goto(`${API}/business/${businessId}/members`);
    await colleague.getByText("Votre rôle ne permet pas de voir les membres").waitFor();
    for (const control of ["Ajouter le membre", "Retirer", "Changer le rôle"]) {
      check((await colleague.getByRole("button", { name: control }).count()) === 0, `colleague sees "${control}"`);
    }
  });

  await step("the owner records information-sharing consent (the to-do list asks for it)", async () => {
    await owner.goto(`${API}/dashboard`);
    const todo = owner.locator(`#to-do li[data-kind="record_consent"][data-business-id="${businessId}"]`);
    await todo.getByRole("link").click();
    await heading(owner, "Information-sharing consent");
    await owner.getByRole("button", { name: "Record the decision" }).click();
    await expectFieldError(owner, "sharing", "consent", /^Choose whether you consent\.$/);
    await expectFieldError(owner, "sharing", "signatory_name", /^Enter the name of the person signing\.$/);
    await owner.getByLabel("Yes, the business consents").check(DRAWN);
    await owner.getByLabel(/^Name of the signing officer/).fill("Alex Tremblay");
    await owner.getByLabel(/^Title of the signing officer/).fill("President");
    await owner.getByRole("button", { name: "Record the decision" }).click();
    await flash(owner, /The decision is recorded/);
    check((await owner.locator("#consent-state").innerText()) === "Consent given", "consent state");
    await owner.getByLabel("No, the business does not consent").check(DRAWN);
    await owner.getByLabel(/^Name of the signing officer/).fill("Alex Tremblay");
    await owner.getByLabel(/^Title of the signing officer/).fill("President");
    await owner.getByRole("button", { name: "Record the decision" }).click();
    await flash(owner, /The decision is recorded/);
    check((await owner.locator("#consent-state").innerText()) === "Consent not given", "consent withdrawn");
    await shot(owner, "information-sharing");
    await owner.goto(`${API}/dashboard`);
    await owner.locator("#to-do").waitFor();
    check((await owner.locator(`#to-do li[data-business-id="${businessId}"]`).count()) === 0, "consent still asked for");
  });

  await step("the owner picks the new owner by name, cancels, starts again; the page shows what is pending", async () => {
    await owner.goto(`${API}/business/${businessId}`);
    await owner.getByRole("link", { name: "Ownership transfer" }).click();
    await heading(owner, "Ownership transfer");
    check((await owner.locator("#transfer-state").getAttribute("data-state")) === "none", "a transfer shown as pending");
    // Nothing pending: nothing to cancel.
    check((await owner.getByRole("button", { name: "Cancel the pending transfer" }).count()) === 0, "Cancel offered with nothing pending");
    await owner.getByRole("button", { name: "Start the transfer" }).click();
    await expectFieldError(owner, "transfer-start", "to_urn", /Choose the member who will become the owner/);
    await owner.getByLabel(/^New owner/).selectOption({ label: `Camille Roy (Account user, URN ${colleagueUrn})` });
    await owner.getByRole("button", { name: "Start the transfer" }).click();
    await flash(owner, new RegExp(`it waits for Camille Roy \\(${colleagueUrn}\\) to accept`));
    check((await owner.locator("#transfer-to").innerText()) === `Camille Roy (${colleagueUrn})`, "whom it waits for");
    await owner.locator("#transfer-until").waitFor();
    check((await owner.getByRole("button", { name: "Start the transfer" }).count()) === 0, "Start offered while one is pending");
    await owner.getByRole("button", { name: "Cancel the pending transfer" }).click();
    await flash(owner, /The pending transfer is cancelled/);
    await owner.getByLabel(/^New owner/).selectOption(colleagueUrn);
    await owner.getByRole("button", { name: "Start the transfer" }).click();
    await flash(owner, /waits for Camille Roy/);
    await shot(owner, "transfer-started");
    // A reload still shows it (read from the API, not remembered by the page).
    await owner.reload();
    await owner.locator('#transfer-state[data-state="waiting"]').waitFor();
    await owner.setViewportSize({ width: 390, height: 844 });
    await phone(owner, `/business/${businessId}/transfer`, "Ownership transfer", "phone-transfer-waiting", async () => {
      await inView(owner, owner.getByRole("button", { name: "Cancel the pending transfer" }), "the cancel button");
    });
    const todo = owner.locator(`#to-do li[data-kind="ownership_transfer_waiting"][data-business-id="${businessId}"]`);
    await phone(owner, "/dashboard", "My business accounts", "phone-dashboard-to-do-transfer", async () => {
      await todo.getByText(`it waits for Camille Roy (${colleagueUrn}) to accept`).waitFor();
    });
    await owner.setViewportSize({ width: 1280, height: 900 });
    await shot(owner, "dashboard-to-do-transfer-started");
  });

  await step("the owner reads the audit trail, a page at a time", async () => {
    await owner.goto(`${API}/business/${businessId}`);
    await owner.getByRole("link", { name: "Audit trail" }).click();
    await heading(owner, "Audit trail");
    const first = await owner.locator("#audit tbody tr").evaluateAll((rows) => rows.map((r) => r.dataset.action));
    check(first.length === 10, `page 1 has ${first.length} events`);
    check(first[0] === "ownership.transfer_requested", `newest first: ${first[0]}`);
    // Names beside URNs: who did it, and whom it named.
    const newest = owner.locator("#audit tbody tr").first();
    check((await newest.locator("td.actor").innerText()) === `Alex Tremblay (${ownerUrn})`, "actor's name");
    await newest.getByText(`Camille Roy (${colleagueUrn})`).waitFor();
    await shot(owner, "audit-page-1");
    // Each event kept the names when it was written: with the members list empty (as if
    // everyone had left), the trail still names who acted and whom it was about.
    const members = `**/businesses/${businessId}/members`;
    await owner.route(members, (route) => route.fulfill({ status: 200, contentType: "application/json", body: "[]" }));
    await owner.reload();
    await heading(owner, "Audit trail");
    const removal = owner.locator('#audit tr[data-action="member.role_removed"]');
    check((await removal.locator("td.actor").innerText()) === `Alex Tremblay (${ownerUrn})`, "the actor's kept name");
    await removal.getByText(`Camille Roy (${colleagueUrn})`).waitFor();
    await owner.unroute(members);
    await owner.reload();
    await heading(owner, "Audit trail");
    await owner.locator("#audit-next").click();
    await owner.getByText("Page 2", { exact: true }).waitFor();
    const second = await owner.locator("#audit tbody tr").evaluateAll((rows) => rows.map((r) => r.dataset.action));
    check(second.at(-1) === "business.activated", `oldest last: ${second}`);
    check(first.length + second.length === 11, `${first.length} + ${second.length} events, expected 11`);
    await shot(owner, "audit-page-2");
    await owner.locator("#audit-prev").click();
    await owner.getByText("Page 1", { exact: true }).waitFor();
  });

  await step("the owner edits the business's details (a bad email refused by its field) and sees them", async () => {
    await owner.getByRole("link", { name: "Overview" }).click();
    await heading(owner, legalName);
    await owner.locator("#manage").getByRole("link", { name: "Edit details" }).click();
    await heading(owner, "Edit the business account's details");
    check(
      (await owner.getByLabel(/^Position title/).inputValue()) === "Director of Operations",
      "the form does not start from the current details",
    );
    await owner.getByLabel(/^Mailing address/).fill("300 Sparks St\nOttawa ON  K1P 5A1");
    await owner.getByLabel(/^Email address/).fill("ops-at-example");
    await owner.getByRole("button", { name: "Save the details" }).click();
    await expectFieldError(owner, "edit-business", "owner_contact.email", /Enter an email address/);
    check((await owner.getByLabel(/^Mailing address/).inputValue()).startsWith("300 Sparks St"), "address lost");
    await shot(owner, "business-edit-errors");
    await owner.getByLabel(/^Email address/).fill(`operations.${suffix}@example.com`);
    await owner.getByLabel(/^Position title/).fill("Vice-President, Operations");
    await owner.getByRole("button", { name: "Save the details" }).click();
    await flash(owner, /The business account's details are saved/);
    await heading(owner, legalName);
    await owner.locator("dd", { hasText: "300 Sparks St" }).waitFor();
    await owner.locator("#owner-contact dd", { hasText: `operations.${suffix}@example.com` }).waitFor();
    await owner.locator("#owner-contact dd", { hasText: "Vice-President, Operations" }).waitFor();
    const read = await apiAs(owner, "GET", `/businesses/${businessId}`);
    check(read.json.mailing_address === "300 Sparks St\nOttawa ON  K1P 5A1", `API mailing_address ${JSON.stringify(read.json.mailing_address)}`);
    check(read.json.owner_contact.email === `operations.${suffix}@example.com`, "API owner_contact.email");
    // Unchanged, and shown as Canada.ca writes it (the API keeps E.164).
    const phoneShown = await owner.locator("#owner-contact dd").nth(2).innerText();
    check(read.json.owner_contact.phone === `+1${phoneShown.replace(/-/g, "")}`, `phone ${read.json.owner_contact.phone} shown as ${phoneShown}`);
    check(/^\d{3}-\d{3}-\d{4}$/.test(phoneShown), `phone shown as ${phoneShown}`);
    await shot(owner, "business-edited");
  });

  await step("the owner offers a broker's business a delegation; the broker accepts and acts for it; the owner ends it", async () => {
    // The broker's own business, set up through the API (its activation is shown above).
    const brokerId = rand(4);
    const issued = await apiAs(officer, "POST", "/agency/shared-secrets", {
      program: "emanifest",
      business_identifier: brokerId,
      legal_name: `Border Brokers ${brokerId} Inc.`,
      mailing_address: "1 Riverside Dr\nWindsor ON  N9A 5K4",
      email: `brokers.${suffix}@example.com`,
    });
    check(issued.status === 201, `secret for the broker: ${issued.status}`);
    const broker = await newPerson(browser, "broker");
    await signIn(broker, `broker-${suffix}`);
    await createAccount(broker, { name: "Sam Broker", email: `sam.${suffix}@example.com` });
    const activated = await apiAs(broker, "POST", "/businesses", {
      program: "emanifest",
      business_identifier: brokerId,
      shared_secret: issued.json.shared_secret,
      owner_contact: { position_title: "Broker", address: "1 Riverside Dr\nWindsor ON", phone: "519-555-0142", email: `sam.${suffix}@example.com` },
    });
    check(activated.status === 201, `broker activation: ${activated.status}`);
    const brokerBusiness = activated.json.business_id;
    const programs = await apiAs(broker, "GET", "/programs");
    const version = programs.json.programs.find((p) => p.program === "emanifest").terms_version;
    check((await apiAs(broker, "POST", `/businesses/${brokerBusiness}/terms`, { version })).status === 200, "broker terms");

    // The owner offers it (a date past two years is refused by its field).
    await owner.getByRole("link", { name: "Delegations", exact: true }).click();
    await heading(owner, "Delegations");
    await owner.getByText("This business has not given any delegation.").waitFor();
    const form = owner.locator("#delegation-offer");
    await form.getByLabel(/^The other business's identifier/).fill(brokerId);
    await form.getByLabel(/^Permissions/).selectOption("view_submit");
    await form.getByLabel(/^End date/).fill("2099-01-01");
    await form.getByLabel(/^Note/).fill("Customs broker for the Windsor crossing");
    await form.getByRole("button", { name: "Offer the delegation" }).click();
    await expectFieldError(owner, "delegation-offer", "ends_on", /at most two years/);
    const ends = new Date(Date.now() + 180 * 86_400_000).toISOString().slice(0, 10);
    await form.getByLabel(/^End date/).fill(ends);
    await form.getByRole("button", { name: "Offer the delegation" }).click();
    await flash(owner, /The delegation is offered/);
    await owner.locator('#delegations-given tr[data-status="pending"]').waitFor();
    await shot(owner, "delegations-offered");

    // The broker's owner accepts it, and chooses themself to act under it.
    await broker.goto(`${API}/business/${brokerBusiness}/delegations`);
    await heading(broker, "Delegations");
    const row = broker.locator('#delegations-received tr[data-status="pending"]');
    await row.getByText(legalName).waitFor();
    await row.getByRole("button", { name: "Accept" }).click();
    await flash(broker, /now active/);
    const active = broker.locator('#delegations-received tr[data-status="active"]');
    await active.getByLabel(/^User Reference Number/).fill(await broker.evaluate(async () => {
      const token = JSON.parse(sessionStorage.getItem("portal.session") ?? "{}").token;
      const r = await fetch("/users/me", { headers: { authorization: `Bearer ${token}` } });
      return (await r.json()).urn;
    }));
    await active.getByRole("button", { name: "Choose this member" }).click();
    await flash(broker, /now acts under this delegation/);
    await shot(broker, "delegations-received-active");
    await broker.goto(`${API}/dashboard`);
    await broker.locator(`#businesses tr[data-business-id="${businessId}"] td[data-role="delegated"]`).waitFor();
    await shot(broker, "dashboard-acting-for");

    // The owner sees it active, who accepted it, and ends it: the broker's access goes.
    await owner.reload();
    const given = owner.locator('#delegations-given tr[data-status="active"]');
    await given.getByText("Who did what").click();
    await given.getByText("Accepted").waitFor();
    await given.getByRole("button", { name: "End" }).click();
    await flash(owner, /The delegation is closed/);
    await owner.locator('#delegations-given tr[data-status="ended"]').waitFor();
    await broker.reload();
    await heading(broker, "My business accounts");
    check((await broker.locator(`#businesses tr[data-business-id="${businessId}"]`).count()) === 0, "the broker still acts for it");
    await broker.context().close();
  });

  await step("the colleague sees the transfer waiting on their dashboard (French) and accepts it", async () => {
    // On a phone: the to-do list and the transfer page fit the screen.
    await colleague.setViewportSize({ width: 390, height: 844 });
    const todo = colleague.locator(`#to-do li[data-kind="accept_ownership"][data-business-id="${businessId}"]`);
    await phone(colleague, "/dashboard", "Mes comptes d'entreprise", "phone-dashboard-to-do-fr", async () => {
      await todo.getByText("vous êtes désigné nouveau propriétaire").waitFor();
      await inView(colleague, todo.getByRole("link"), "the to-do link");
    });
    await todo.getByRole("link").click();
    await heading(colleague, "Transfert de propriété");
    await colleague.locator('#transfer-state[data-state="yours"]', { hasText: `Alex Tremblay (${ownerUrn})` }).waitFor();
    await phone(colleague, `/business/${businessId}/transfer`, "Transfert de propriété", "phone-transfer-yours-fr", async () => {
      await inView(colleague, colleague.getByRole("button", { name: "Accepter la propriété" }), "the accept button");
    });
    await colleague.setViewportSize({ width: 1280, height: 900 });
    await shot(colleague, "transfer-yours-fr");
    await colleague.getByRole("button", { name: "Accepter la propriété" }).click();
    await flash(colleague, /Vous êtes maintenant le propriétaire/);
    check((await colleague.locator("#my-role").getAttribute("data-role")) === "owner", "colleague not owner");
    await shot(colleague, "colleague-owner-fr");
    await owner.goto(`${API}/dashboard`);
    const row = owner.locator(`#businesses tr[data-business-id="${businessId}"]`);
    await row.waitFor();
    check((await row.locator("td.role").getAttribute("data-role")) === "proxy", "former owner is not proxy");
    await colleague.getByRole("link", { name: "Membres", exact: true }).click();
    const formerOwner = colleague.locator(`#members tr[data-urn="${ownerUrn}"]`);
    check((await formerOwner.locator("td.role").getAttribute("data-role")) === "proxy", "members: former owner");
    await formerOwner.getByRole("button", { name: "Retirer Alex Tremblay" }).waitFor(); // the new owner may
  });

  await step("the French switch shows French labels (and English again)", async () => {
    await owner.getByRole("link", { name: /Northern Freight/ }).click();
    await heading(owner, legalName);
    await owner.locator("#lang-toggle gcds-link", { hasText: "Français" }).waitFor(); // the switch's label
    await owner.locator("#lang-toggle a").click();
    await heading(owner, legalName);
    check((await owner.locator("html").getAttribute("lang")) === "fr", "html lang");
    await owner.getByRole("link", { name: "Aperçu" }).waitFor();
    await owner.getByText("Ce que votre rôle permet").waitFor();
    check((await owner.locator("#my-role").innerText()) === "Mandataire", "role label in French");
    await owner.locator("#lang-toggle gcds-link", { hasText: "English" }).waitFor(); // the switch's label
    await owner.getByRole("link", { name: "Mes comptes d'entreprise" }).first().waitFor();
    await shot(owner, "business-fr");
    await owner.getByRole("link", { name: "Piste de vérification" }).click();
    await heading(owner, "Piste de vérification");
    await owner.getByText("Transfert de propriété accepté").waitFor();
    const accepted = owner.locator('#audit tr[data-action="ownership.transfer_accepted"] td.actor');
    check((await accepted.innerText()) === `Camille Roy (${colleagueUrn})`, "the new owner's name in French");
    await shot(owner, "audit-fr");
    await owner.locator("#lang-toggle a").click();
    await heading(owner, "Audit trail");
  });

  await step("the owner changes their user account's details", async () => {
    await owner.getByRole("link", { name: "My user account" }).click();
    await heading(owner, "My user account");
    check((await owner.locator("#urn").innerText()) === ownerUrn, "URN on the account page");
    const portalTerms = await owner.locator("#terms-accepted a").getAttribute("href");
    check(/^\/terms\/[0-9-]+\.en\.html$/.test(portalTerms ?? ""), `portal terms link ${portalTerms}`);
    await owner.getByLabel(/^Telephone number/).fill("not a phone");
    await owner.getByRole("button", { name: "Save changes" }).click();
    await expectFieldError(owner, "account", "phone", /Enter a telephone number/);
    await owner.getByLabel(/^Telephone number/).fill("+1 819 555 0123");
    await owner.getByRole("button", { name: "Save changes" }).click();
    await flash(owner, /Your changes are saved/);
    await owner.locator("dd", { hasText: /^819-555-0123$/ }).first().waitFor(); // as Canada.ca writes it
    await shot(owner, "user-account");
  });

  await step("the owner changes their email: it waits for the code sent to the new address", async () => {
    const newEmail = `alex.new.${suffix}@example.com`.toLowerCase();
    await owner.getByLabel(/^Email address/).fill(newEmail);
    await owner.getByRole("button", { name: "Save changes" }).click();
    await flash(owner, /A code was sent to/);
    check((await owner.locator("#pending-email").innerText()) === newEmail, "the pending address is not shown");
    check(/A code was sent to/.test(await owner.locator("#email-code-sent").innerText()), "no 'a code was sent' notice");
    await shot(owner, "account-email-pending");
    // The dashboard says it waits, and leads back here.
    await owner.goto(`${API}/dashboard`);
    const todo = owner.locator('#to-do li[data-kind="confirm_email"]');
    await todo.getByText(newEmail).waitFor();
    // It says until when the code works (the expiry GET /users/me gives), in French too.
    const until = (await apiAs(owner, "GET", "/users/me")).json.pending_email_expires_at;
    check(Date.parse(until) > Date.now(), `the code's expiry: ${until}`);
    await todo.getByText(/works until/).waitFor();
    check((await todo.getAttribute("data-expired")) === "false", "a live code shown as expired");
    await shot(owner, "dashboard-to-do-email");
    await owner.locator("#lang-toggle a").click();
    await todo.getByText(/est valide jusqu'au/).waitFor();
    await shot(owner, "dashboard-to-do-email-fr");
    await owner.locator("#lang-toggle a").click();
    await heading(owner, "My business accounts");
    await owner.setViewportSize({ width: 390, height: 844 });
    await phone(owner, "/dashboard", "My business accounts", "phone-dashboard-to-do-email", async () => {
      await inView(owner, todo.getByRole("link"), "the e-mail code's to-do");
    });
    // A code past its expiry says to ask again (the expiry moved into the past on the way).
    await owner.route("**/users/me", async (route) => {
      const answer = await route.fetch();
      const me = await answer.json();
      await route.fulfill({ response: answer, json: { ...me, pending_email_expires_at: "2020-01-01T12:00:00Z" } });
    });
    await owner.reload();
    await todo.getByRole("link", { name: "Ask again for your new email address" }).waitFor();
    await todo.getByText(/expired on/).waitFor();
    await inView(owner, todo.getByRole("link"), "the expired code's to-do");
    await shot(owner, "phone-dashboard-to-do-email-expired");
    await owner.unroute("**/users/me");
    await owner.setViewportSize({ width: 1280, height: 900 });
    await owner.reload();
    await heading(owner, "My business accounts");
    await todo.getByRole("link").click();
    await heading(owner, "My user account");
    const confirm = () => owner.getByRole("button", { name: "Confirm my new email address" }).click();
    await owner.getByLabel(/^Code/).fill("12345");
    await confirm();
    await expectFieldError(owner, "confirm-email", "code", /Enter the 6-digit code/);
    const code = await mailedCode(newEmail);
    await owner.getByLabel(/^Code/).fill(code === "000000" ? "000001" : "000000");
    await confirm();
    await expectFieldError(owner, "confirm-email", "code", /This is not the code sent to the new address/);
    await shot(owner, "account-email-wrong-code");
    await owner.getByLabel(/^Code/).fill(code);
    await confirm();
    await flash(owner, new RegExp(`Your email address is now ${newEmail.replace(/[.]/g, "\\.")}`));
    check((await owner.locator("#pending-email").count()) === 0, "the address is still shown as pending");
    check((await apiAs(owner, "GET", "/users/me")).json.email === newEmail, "the API still has the old address");
  });

  let newSignIn = null;
  await step("the former owner moves their user account to another sign-in with a one-time code", async () => {
    await owner.getByRole("link", { name: "Move my account to another sign-in" }).click();
    await heading(owner, "Move my account to another sign-in");
    await owner.getByText(ownerUrn).first().waitFor();
    await shot(owner, "account-move");
    await owner.getByRole("button", { name: "Get a transfer code" }).click();
    await heading(owner, "Your transfer code");
    const code = (await owner.locator("#transfer-code").innerText()).trim();
    check(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{2}$/.test(code), `transfer code ${code}`);
    check(/within 10 minutes/.test(await owner.locator("#transfer-expires").innerText()), "no expiry shown");
    await shot(owner, "account-move-code");

    // A second credential, with no user account yet, lands on "Create your user account".
    newSignIn = await newPerson(browser, "owner-new-sign-in");
    await signIn(newSignIn, `owner-sip-${suffix}`, { idp: "Sign-In Partner" });
    await heading(newSignIn, "Create your user account");
    await newSignIn.getByRole("link", { name: "I already have a user account: move it to this sign-in" }).click();
    await heading(newSignIn, "Move my user account to this sign-in");
    await newSignIn.getByLabel(/^Transfer code/).fill("ABCD");
    await newSignIn.getByRole("button", { name: "Move my user account to this sign-in" }).click();
    await expectFieldError(newSignIn, "claim", "transfer_code", /Enter the 10-character code/);
    const wrong = code.slice(0, -1) + (code.endsWith("A") ? "B" : "A"); // well formed, not issued
    await newSignIn.getByLabel(/^Transfer code/).fill(wrong);
    await newSignIn.getByRole("button", { name: "Move my user account to this sign-in" }).click();
    await expectFieldError(newSignIn, "claim", "transfer_code", /This transfer code is not valid/);
    await shot(newSignIn, "claim-refused");
    await newSignIn.getByLabel(/^Transfer code/).fill(code.toLowerCase()); // as a person may type it
    await newSignIn.getByRole("button", { name: "Move my user account to this sign-in" }).click();
    await flash(newSignIn, new RegExp(`URN ${ownerUrn}\\) now answers to this sign-in`));
    await heading(newSignIn, "My business accounts");
    check((await newSignIn.locator("#urn").innerText()) === ownerUrn, "the new sign-in has another URN");
    const row = newSignIn.locator(`#businesses tr[data-business-id="${businessId}"]`);
    check((await row.locator("td.role").getAttribute("data-role")) === "proxy", "memberships did not move");
    const me = await apiAs(newSignIn, "GET", "/users/me");
    check(me.status === 200 && me.json.urn === ownerUrn, `GET /users/me as the new sign-in: ${JSON.stringify(me)}`);
    await shot(newSignIn, "claim-done-dashboard");

    // A proxy has no Edit details / Close.
    await row.getByRole("link").click();
    await heading(newSignIn, legalName);
    check((await newSignIn.locator("#manage").count()) === 0, "a proxy sees Edit details / Close");

    // The old sign-in no longer opens the account; the code worked once.
    await owner.goto(`${API}/dashboard`);
    await heading(owner, "Create your user account");
    check((await apiAs(owner, "GET", "/users/me")).status === 404, "the old sign-in still has the account");
  });

  await step("on a phone (390×844): tables are cards with their actions in view, tabs a list, a compact header", async () => {
    for (const page of [colleague, officer]) await page.setViewportSize({ width: 390, height: 844 });
    await phone(colleague, "/dashboard", "Mes comptes d'entreprise", "phone-dashboard-fr", async () => {
      const link = colleague.locator(`#businesses tr[data-business-id="${businessId}"] a`).first();
      await inView(colleague, link, "the business's link on the dashboard");
    });
    await phone(colleague, `/business/${businessId}/members`, "Membres", "phone-members-fr", async () => {
      // The former owner's row (now proxy) has the owner's actions: change the role, remove.
      const row = colleague.locator(`#members tr[data-urn="${ownerUrn}"]`);
      await inView(colleague, row.getByRole("button").first(), "a member's action");
      const tabs = await colleague.locator("nav.tabs li").evaluateAll((lis) => lis.map((li) => li.getBoundingClientRect().left));
      check(tabs.length > 2 && tabs.every((x) => x === tabs[0]), `the tabs are not a list: ${tabs}`);
    });
    await phone(officer, "/officer/letters", "Letter queue", "phone-letters", async () => {});
    const headerHeight = await colleague.locator("#site-header").evaluate((el) => el.getBoundingClientRect().height);
    check(headerHeight < 844 / 3, `the header takes ${headerHeight}px of 844`);
    for (const page of [colleague, officer]) await page.setViewportSize({ width: 1280, height: 900 });
  });

  await step("the new owner closes the business account (confirmed); members lose access", async () => {
    await colleague.goto(`${API}/business/${businessId}`);
    await heading(colleague, legalName);
    await colleague.locator("#manage").getByRole("link", { name: "Fermer ce compte d'entreprise" }).click();
    await heading(colleague, "Fermer le compte d'entreprise");
    await colleague.getByRole("link", { name: "Garder le compte d'entreprise" }).click(); // changed their mind
    await heading(colleague, legalName);
    await colleague.locator("#manage").getByRole("link", { name: "Fermer ce compte d'entreprise" }).click();
    await heading(colleague, "Fermer le compte d'entreprise");
    await colleague.getByRole("button", { name: "Fermer le compte d'entreprise" }).click();
    await expectFieldError(colleague, "close-business", "confirm", /Confirmez que vous voulez fermer/);
    check((await apiAs(colleague, "GET", `/businesses/${businessId}`)).status === 200, "closed without the confirmation");
    await shot(colleague, "business-close-confirm-fr");
    await colleague.getByLabel(/Je comprends que tous les membres perdent l'accès/).check(DRAWN);
    await colleague.getByRole("button", { name: "Fermer le compte d'entreprise" }).click();
    await flash(colleague, new RegExp(`${legalName.replace(/\./g, "\\.")} est fermé`));
    await heading(colleague, "Mes comptes d'entreprise");
    check((await colleague.evaluate(() => location.pathname)) === "/dashboard", "not back on the dashboard");
    check((await colleague.locator(`tr[data-business-id="${businessId}"]`).count()) === 0, "closed business still listed");
    await shot(colleague, "business-closed-fr");

    // The proxy lost access too.
    await newSignIn.goto(`${API}/dashboard`);
    await heading(newSignIn, "My business accounts");
    check((await newSignIn.locator(`tr[data-business-id="${businessId}"]`).count()) === 0, "the proxy still sees it");
    check((await apiAs(newSignIn, "GET", `/businesses/${businessId}`)).status === 404, "the proxy can still read it");
  });

  await step("an old sign-in is asked to sign in again (RFC 9470) and comes back to where it was", async () => {
    // The same person, signed in an hour ago: moving the account needs a sign-in of the last 15 minutes.
    const minted = await newSignIn.evaluate(async (sub) => {
      const r = await fetch("/_local/token", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ sub, idp: "sign-in-partner", auth_time: Math.floor(Date.now() / 1000) - 3600 }),
      });
      return (await r.json()).access_token;
    }, `owner-sip-${suffix}`);
    await newSignIn.evaluate((token) => {
      const s = JSON.parse(sessionStorage.getItem("portal.session"));
      s.token = token;
      sessionStorage.setItem("portal.session", JSON.stringify(s));
    }, minted);
    await newSignIn.goto(`${API}/account`);
    await newSignIn.getByRole("link", { name: "Move my account to another sign-in" }).click();
    await heading(newSignIn, "Move my account to another sign-in");
    const back = await newSignIn.evaluate(() => location.pathname);
    await newSignIn.getByRole("button", { name: "Get a transfer code" }).click();
    await heading(newSignIn, "Sign in");
    await newSignIn.getByText("For your security, this needs a recent sign-in").waitFor();
    await shot(newSignIn, "sign-in-again-recent");
    await signIn(newSignIn, `owner-sip-${suffix}`, { idp: "Sign-In Partner" });
    await heading(newSignIn, "Move my account to another sign-in");
    check((await newSignIn.evaluate(() => location.pathname)) === back, "not back on the page that asked");
  });

  await step("a session that ends sends the person to sign in again, in their language", async () => {
    await colleague.evaluate(() => {
      const s = JSON.parse(sessionStorage.getItem("portal.session"));
      s.token = "expired.token.value";
      sessionStorage.setItem("portal.session", JSON.stringify(s));
    });
    await colleague.goto(`${API}/dashboard`);
    await heading(colleague, "Se connecter");
    await colleague.getByText("Votre session a pris fin").waitFor();
    await shot(colleague, "session-ended-fr");
  });

  check(problems.length === 0, `page errors or CSP violations:\n${problems.join("\n")}`);
} catch (error) {
  failure = error;
  console.log(`\n${error.step ? `step "${error.step}" failed` : "failed"}: ${error.stack ?? error}`);
  for (const page of browser.contexts().flatMap((c) => c.pages())) {
    try {
      await page.screenshot({ path: join(SHOTS, `FAILED-${page.label}.png`), fullPage: true });
      console.log(`  ${page.label} was at ${page.url()} (screenshot FAILED-${page.label}.png)`);
    } catch {
      // the page is gone
    }
  }
  if (problems.length) console.log(`page problems:\n${problems.join("\n")}`);
} finally {
  await browser.close();
}

const seconds = ((Date.now() - started) / 1000).toFixed(1);
console.log(`\n${steps} steps passed, ${failure ? 1 : 0} failed in ${seconds}s; ${shotCount} screenshots in ${SHOTS}`);
process.exit(failure ? 1 : 0);

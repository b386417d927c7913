// The shell (header, language switch, menu, footer) and a tiny router over the History API.
// Every page is a function that returns its content; the shell re-renders it on navigation and
// on a language switch, carrying form values and shown errors over.

import { ApiError, api, describe, type User } from "./api";
import { firstFocusable, h, replace, type Child } from "./dom";
import { liveForms, resetLiveForms } from "./forms";
import { lang, onLangChange, setLang, t, type Key } from "./i18n";
import { notice } from "./pages/common";
import { authConfig, endSession, isOfficer, onSessionExpired, session, signOutUrl } from "./session";

export interface Ctx {
  params: string[];
  query: URLSearchParams;
  /** Belongs to this visit of the page: kept over a language switch, new on navigation. */
  state: Record<string, unknown>;
  /** Renders the page again after a change (forms start afresh; the visit's state is kept). */
  rerender(): void;
}

export type Page = (ctx: Ctx) => Promise<Child> | Child;

/** none: anyone; token: signed in; user: signed in with a user account. */
export type Access = "none" | "token" | "user";

export interface Route {
  path: RegExp;
  page: Page;
  access: Access;
}

interface Flash {
  key: Key;
  values?: Record<string, string>;
}

const routes: Route[] = [];
let visit: { path: string; state: Record<string, unknown>; flash: Flash | null } = {
  path: "",
  state: {},
  flash: null,
};
let renderCount = 0;

// ---------------------------------------------------------------- the user account

let me: User | null | undefined; // undefined: not read yet; null: none
const APPLY_LANG_KEY = "portal.applyAccountLang";

export async function currentUser(): Promise<User | null> {
  if (me !== undefined) return me;
  if (!session()) return null;
  try {
    me = await api<User>("GET", "/users/me");
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) me = null;
    else throw e;
  }
  if (me && sessionStorage.getItem(APPLY_LANG_KEY)) {
    // Just signed in: the portal speaks the account's language (the switch still works).
    sessionStorage.removeItem(APPLY_LANG_KEY);
    setLangQuietly(me.language);
  }
  return me;
}

export function setCurrentUser(user: User | null): void {
  me = user;
}

/** Called right after a sign-in: the account's language becomes the portal's. */
export function signedIn(): void {
  me = undefined;
  sessionStorage.setItem(APPLY_LANG_KEY, "1");
}

let quiet = false;
function setLangQuietly(next: "en" | "fr"): void {
  quiet = true;
  setLang(next);
  quiet = false;
}

// ---------------------------------------------------------------- routing

export function route(path: RegExp, page: Page, access: Access = "user"): void {
  routes.push({ path, page, access });
}

export function navigate(path: string, options: { replace?: boolean; flash?: Flash } = {}): void {
  if (options.replace) history.replaceState(null, "", path);
  else history.pushState(null, "", path);
  visit = { path, state: {}, flash: options.flash ?? null };
  void render("navigate");
}

function currentPath(): string {
  return location.pathname + location.search;
}

export function start(): void {
  // ?lang=fr (the language toggle's address, when opened as a link) chooses the language.
  const asked = new URLSearchParams(location.search).get("lang");
  if (asked === "en" || asked === "fr") {
    setLang(asked);
    const rest = new URLSearchParams(location.search);
    rest.delete("lang");
    history.replaceState(null, "", location.pathname + (rest.size ? `?${rest}` : ""));
  }
  visit = { path: currentPath(), state: {}, flash: null };
  window.addEventListener("popstate", () => {
    visit = { path: currentPath(), state: {}, flash: null };
    void render("navigate");
  });
  // Links inside the portal change the page without reloading it.
  document.addEventListener("click", (event) => {
    // The first link on the click's way up, shadow roots included (the design system's links).
    const a = event.composedPath().find((n): n is HTMLAnchorElement => n instanceof HTMLAnchorElement);
    if (!a || event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const href = a.getAttribute("href");
    if (!href || !href.startsWith("/") || href.startsWith("//") || a.target || a.hasAttribute("download")) return;
    event.preventDefault();
    navigate(href);
  });
  onLangChange(() => {
    if (!quiet) void render("language");
  });
  onSessionExpired(() => {
    me = undefined;
    navigate("/sign-in", { replace: true });
  });
  void render("navigate");
}

// ---------------------------------------------------------------- the shell

const root = (): HTMLElement => document.getElementById("app")!;

function header(): HTMLElement {
  const s = session();
  const other = lang() === "en" ? "fr" : "en";
  const menu: Child[] = [];
  if (s) {
    if (me) menu.push(link("/dashboard", "nav.dashboard"), link("/account", "nav.account"));
    if (isOfficer()) {
      menu.push(
        link("/officer/secrets", "nav.issueSecret"),
        link("/officer/letters", "nav.letters"),
        link("/officer/register", "nav.register"),
        link("/officer/imports", "nav.imports"),
        link("/officer/audit", "nav.agencyAudit"),
        link("/officer/reinstate", "nav.reinstate"),
        link("/officer/users", "nav.supportUsers"),
        link("/officer/businesses", "nav.supportBusinesses"),
      );
    }
    menu.push(
      h(
        "li",
        null,
        h("button", { type: "button", class: "link-button", id: "sign-out", onclick: signOut }, t("nav.signOut")),
      ),
    );
  }
  const crumbs = breadcrumbs();
  // The GC Design System's header: skip link, language toggle, Government of Canada signature,
  // then the portal's own name and menu, then the breadcrumbs.
  return h(
    "gcds-header",
    { id: "site-header" },
    h("a", { slot: "skip-to-nav", id: "skip-link", class: "skip-link", href: "#main", onclick: skipToMain }, t("site.skip")),
    h("gcds-lang-toggle", {
      slot: "toggle",
      id: "lang-toggle",
      lang: lang(),
      href: `${location.pathname}?lang=${other}`,
      // The switch changes the language in place (what is typed is kept); the link's address
      // still works when opened in a new tab.
      onclick: (event: Event) => {
        if (!event.composedPath().some((n) => n instanceof HTMLAnchorElement)) return;
        event.preventDefault();
        setLang(other);
      },
    }),
    h("gcds-signature", { slot: "signature", id: "signature", type: "signature", "has-link": "true", lang: lang() }),
    h(
      "div",
      { slot: "menu", class: "site-bar" },
      h("div", { class: "container bar-inner" }, h("a", { href: "/", class: "product-name", id: "product-name" }, t("site.title"))),
      s
        ? h(
            "nav",
            { class: "site-nav", "aria-label": t("site.nav") },
            h(
              "div",
              { class: "container nav-inner" },
              h("ul", { class: "menu" }, menu),
              me ? h("p", { class: "signed-in" }, t("site.signedInAs", { name: me.name })) : null,
            ),
          )
        : null,
    ),
    crumbs.length
      ? h(
          "gcds-breadcrumbs",
          { slot: "breadcrumb", "hide-canada-link": "true", lang: lang() },
          crumbs.map(([href, key]) => h("gcds-breadcrumbs-item", { href }, t(key))),
        )
      : null,
  );
}

/** Where the page sits: the way back up to the dashboard (the page itself is not listed). */
function breadcrumbs(): Array<[string, Key]> {
  const path = location.pathname;
  if (!me || path === "/" || path === "/dashboard" || path.startsWith("/officer/")) return [];
  const crumbs: Array<[string, Key]> = [["/dashboard", "nav.dashboard"]];
  const business = /^\/business\/([0-9a-z]{26})\/[a-z]+$/.exec(path);
  if (business) crumbs.push([`/business/${business[1]}`, "crumb.business"]);
  if (path === "/account/move") crumbs.push(["/account", "nav.account"]);
  return crumbs;
}

function link(href: string, key: Key): HTMLElement {
  const here = location.pathname === href || (href !== "/" && location.pathname.startsWith(`${href}/`));
  return h("li", null, h("a", { href, "aria-current": here ? "page" : undefined }, t(key)));
}

function footer(): HTMLElement {
  return h(
    "div",
    { class: "site-footer" },
    authConfig().mode === "local" ? h("p", { class: "container small local-note" }, t("site.footer.local")) : null,
    h("gcds-footer", {
      display: "compact",
      lang: lang(),
      "contextual-heading": t("site.footer"),
      "contextual-links": JSON.stringify({ [t("site.footer.contact")]: t("site.footer.contactUrl") }),
    }),
  );
}

function signOut(): void {
  endSession();
  me = undefined;
  const end = signOutUrl();
  if (end) {
    location.assign(end);
    return;
  }
  navigate("/sign-in", { flash: { key: "signin.signedOut" } });
}

// ---------------------------------------------------------------- rendering

type RenderKind = "navigate" | "language" | "refresh";

async function render(kind: RenderKind): Promise<void> {
  const count = ++renderCount;
  document.documentElement.lang = lang();
  // A language switch carries the forms over: values typed, errors shown (in the new language).
  const carried = kind === "language" ? liveForms().map((f) => [f.id, f.snapshot()] as const) : [];
  const focusedId = kind === "language" ? document.activeElement?.id : undefined;
  resetLiveForms();
  document.getElementById("main")?.setAttribute("aria-busy", "true");

  const path = location.pathname;
  const match = routes.map((r) => ({ r, m: r.path.exec(path) })).find((x) => x.m);
  let content: Child;
  try {
    content = await guarded(match?.r, match?.m ?? null);
  } catch (error) {
    content = errorPage(error);
  }
  if (count !== renderCount) return; // a newer navigation won

  const main = h("main", { id: "main", tabindex: "-1" });
  replace(root(), header(), main, footer());
  const flash = visit.flash ? notice("success", h("p", null, t(visit.flash.key, visit.flash.values))) : null;
  if (flash) {
    flash.id = "flash";
    flash.tabIndex = -1;
  }
  replace(main, h("div", { class: "container page" }, flash, content));

  labelTableCells(main);
  const heading = main.querySelector("h1");
  document.title = heading ? `${heading.textContent} — ${t("site.title")}` : t("site.title");

  if (kind === "language") {
    const forms = new Map(liveForms().map((f) => [f.id, f] as const));
    for (const [id, snap] of carried) forms.get(id)?.restore(snap);
    if (focusedId) void focusWithin(document.getElementById(focusedId));
    return;
  }
  if (flash) announce(flash.textContent ?? "");
  const target = kind === "refresh" && flash ? flash : heading;
  if (target) {
    target.setAttribute("tabindex", "-1");
    target.focus();
  }
}

/** Focuses an element, or the first focusable thing inside a design-system component (which
 *  draws its link or button in its shadow root once it has rendered). */
async function focusWithin(el: HTMLElement | null): Promise<void> {
  for (let frame = 0; el && frame < 60; frame++) {
    const target = firstFocusable(el);
    if (target) {
      target.focus();
      return;
    }
    await new Promise((done) => requestAnimationFrame(done));
  }
}

/** On a phone a table row is a card: each cell shows its column's name (styles.css). */
function labelTableCells(within: HTMLElement): void {
  for (const table of Array.from(within.querySelectorAll<HTMLTableElement>("table.table"))) {
    const names = Array.from(table.tHead?.rows[0]?.cells ?? []).map((c) => c.textContent?.trim() ?? "");
    for (const row of Array.from(table.tBodies).flatMap((b) => Array.from(b.rows))) {
      Array.from(row.cells).forEach((cell, i) => {
        if (cell.tagName === "TD" && names[i]) cell.dataset.label = names[i];
      });
    }
  }
}

/** Says something to screen readers through the page's one polite live region. */
export function announce(text: string): void {
  const region = document.getElementById("announcer");
  if (!region) return;
  region.textContent = "";
  window.setTimeout(() => {
    region.textContent = text;
  }, 50);
}

function skipToMain(event: Event): void {
  event.preventDefault();
  document.getElementById("main")?.focus();
}

async function guarded(r: Route | undefined, m: RegExpExecArray | null): Promise<Child> {
  if (!r || !m) return notFound();
  if (r.access !== "none") {
    if (!session()) {
      history.replaceState(null, "", "/sign-in");
      return routeContent("/sign-in");
    }
    if (r.access === "user") {
      const user = await currentUser();
      if (!user) {
        if (isOfficer() && location.pathname === "/") {
          history.replaceState(null, "", "/officer/secrets");
          return routeContent("/officer/secrets");
        }
        history.replaceState(null, "", "/account/new");
        return routeContent("/account/new");
      }
    } else {
      await currentUser().catch(() => null); // for the menu
    }
  }
  return r.page({
    params: m.slice(1),
    query: new URLSearchParams(location.search),
    state: visit.state,
    rerender: () => void render("refresh"),
  });
}

async function routeContent(path: string): Promise<Child> {
  const match = routes.map((r) => ({ r, m: r.path.exec(path) })).find((x) => x.m);
  return guarded(match?.r, match?.m ?? null);
}

function notFound(): Child {
  return [h("h1", null, t("page.notFound.title")), h("p", null, t("page.notFound.body")), backLink()];
}

export function backLink(): HTMLElement {
  return h("p", { class: "back" }, h("a", { href: "/dashboard" }, t("common.back")));
}

/** A page that could not be shown: the problem in the person's language. */
/** The API's answer to a retired account (two years without use): its own problem type. */
export function isRetired(error: unknown): boolean {
  return error instanceof ApiError && error.status === 403 && !!error.type?.endsWith("/account-retired");
}

function errorPage(error: unknown): Child {
  // A retired account (two years without use) is told what happened and whom to ask.
  if (isRetired(error)) {
    return [
      h("h1", null, t("retired.title")),
      h("div", { class: "notice warning", role: "alert", id: "account-retired" }, h("p", null, t("retired.body"))),
    ];
  }
  const described = describe(error);
  return [
    h("h1", null, t("err.summary")),
    Object.assign(notice("error", h("p", null, described.summary)), { role: "alert" }),
    backLink(),
  ];
}

export function setFlash(flash: Flash): void {
  visit.flash = flash;
}

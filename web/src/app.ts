// The shell (header, language switch, menu, footer) and a tiny router over the History API.
// Every page is a function that returns its content; the shell re-renders it on navigation and
// on a language switch, carrying form values and shown errors over.

import { ApiError, api, describe, type User } from "./api";
import { h, replace, type Child } from "./dom";
import { liveForms, resetLiveForms } from "./forms";
import { lang, onLangChange, setLang, t, type Key } from "./i18n";
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
  visit = { path: currentPath(), state: {}, flash: null };
  window.addEventListener("popstate", () => {
    visit = { path: currentPath(), state: {}, flash: null };
    void render("navigate");
  });
  // Links inside the portal change the page without reloading it.
  document.addEventListener("click", (event) => {
    const a = (event.target as Element | null)?.closest?.("a");
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
        link("/officer/audit", "nav.agencyAudit"),
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
  return h(
    "header",
    { class: "site-header" },
    h(
      "div",
      { class: "header-top container" },
      h(
        "div",
        { class: "brand" },
        h("span", { class: "brand-mark", "aria-hidden": "true" }),
        h(
          "div",
          null,
          h("a", { href: "/", class: "brand-title" }, t("site.title")),
          h("div", { class: "brand-agency" }, t("site.agency")),
        ),
      ),
      h(
        "button",
        {
          type: "button",
          id: "lang-toggle",
          class: "lang-toggle",
          lang: other,
          "aria-label": t("site.langSwitch.label"),
          onclick: () => setLang(other),
        },
        t("site.langSwitch"),
      ),
    ),
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
      : h("div", { class: "site-nav empty" }),
  );
}

function link(href: string, key: Key): HTMLElement {
  const here = location.pathname === href || (href !== "/" && location.pathname.startsWith(`${href}/`));
  return h("li", null, h("a", { href, "aria-current": here ? "page" : undefined }, t(key)));
}

function footer(): HTMLElement {
  return h(
    "footer",
    { class: "site-footer" },
    h(
      "div",
      { class: "container" },
      h("p", null, t("site.footer"), " · ", t("site.portals")),
      authConfig().mode === "local" ? h("p", { class: "small" }, t("site.footer.local")) : null,
    ),
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
  replace(root(), h("a", { class: "skip-link", href: "#main", onclick: skipToMain }, t("site.skip")), header(), main, footer());
  const flash = visit.flash
    ? h("div", { class: "notice success", id: "flash", tabindex: "-1" }, h("p", null, t(visit.flash.key, visit.flash.values)))
    : null;
  replace(main, h("div", { class: "container page" }, flash, content));

  const heading = main.querySelector("h1");
  document.title = heading ? `${heading.textContent} — ${t("site.title")}` : t("site.title");

  if (kind === "language") {
    const forms = new Map(liveForms().map((f) => [f.id, f] as const));
    for (const [id, snap] of carried) forms.get(id)?.restore(snap);
    if (focusedId) document.getElementById(focusedId)?.focus();
    return;
  }
  if (flash) announce(flash.textContent ?? "");
  const target = kind === "refresh" && flash ? flash : heading;
  if (target) {
    target.setAttribute("tabindex", "-1");
    target.focus();
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
function errorPage(error: unknown): Child {
  const described = describe(error);
  return [
    h("h1", null, t("err.summary")),
    h("div", { class: "notice error", role: "alert" }, h("p", null, described.summary)),
    backLink(),
  ];
}

export function setFlash(flash: Flash): void {
  visit.flash = flash;
}

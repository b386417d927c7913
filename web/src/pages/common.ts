// Small pieces several pages share.

import type { Permission, Program, Role, User } from "../api";
import { h, type Child } from "../dom";
import { formatDate, has, lang, t } from "../i18n";

export const PROGRAMS: Program[] = ["ttp", "emanifest", "cers"];
export const ROLES: Role[] = ["owner", "proxy", "user", "browser"];

export function programName(program: string): string {
  const key = `program.${program}`;
  return has(key) ? t(key) : program;
}

export function programChoices(): Array<[string, string]> {
  return PROGRAMS.map((p) => [p, programName(p)]);
}

export function roleName(role: string): string {
  const key = `role.${role}`;
  return has(key) ? t(key) : role;
}

export function statusName(status: string): string {
  const key = `status.${status}`;
  return has(key) ? t(key) : status;
}

export function permissionName(permission: Permission): string {
  const key = `perm.${permission}`;
  return has(key) ? t(key) : permission;
}

export function languageChoices(): Array<[string, string]> {
  return [
    ["en", t("lang.en")],
    ["fr", t("lang.fr")],
  ];
}

/** A definition list of label/value pairs (empty values left out). */
export function details(rows: Array<[string, Child]>): HTMLElement {
  return h(
    "dl",
    { class: "details" },
    rows
      .filter(([, value]) => value !== null && value !== undefined && value !== "")
      .map(([label, value]) => h("div", { class: "details-row" }, h("dt", null, label), h("dd", null, value))),
  );
}

/** A telephone number as Canada.ca writes it: North American numbers 613-555-0142 (the API
 *  keeps E.164, +16135550142, and reads this form back); others as the API has them. */
export function phoneText(phone: string): string {
  const nanp = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(phone);
  return nanp ? `${nanp[1]}-${nanp[2]}-${nanp[3]}` : phone;
}

/** Multi-line text (an address) as lines. */
export function lines(text: string): Child[] {
  return text.split("\n").flatMap((line, i) => (i === 0 ? [line] : [h("br"), line]));
}

export function statusTag(status: string): HTMLElement {
  return h("span", { class: `tag tag-${status}` }, statusName(status));
}

const NOTICE_ROLE = { info: "info", warning: "warning", error: "danger", success: "success" } as const;

/** The GC Design System's notice; its heading says what kind of notice it is. */
export function notice(kind: "info" | "warning" | "error" | "success", ...children: Child[]): HTMLElement {
  return h(
    "gcds-notice",
    { class: `notice ${kind}`, "notice-role": NOTICE_ROLE[kind], "notice-title-tag": "h2", "notice-title": t(`notice.${kind}`) },
    children,
  );
}

/**
 * The warning that notices no longer reach the account's address (SES bounced it, or the person
 * reported a notice as spam), with the way to give another: shown on the dashboard and the
 * account page until a new address is confirmed.
 */
export function undeliverableNotice(user: User): HTMLElement | null {
  if (user.email_status !== "undeliverable") return null;
  const key = user.email_undeliverable_reason === "complained" ? "account.undeliverable.complained" : "account.undeliverable.bounced";
  return h(
    "div",
    { id: "email-undeliverable" },
    notice(
      "warning",
      h("p", null, t(key, { email: user.email, since: formatDate(user.email_undeliverable_since) })),
      h("p", null, h("a", { href: "/account#account-email" }, t("account.undeliverable.fix"))),
    ),
  );
}

/** The panel that shows, once, what a request gave: a URN, a Client Number, a secret, a code. */
export function shownOnce(
  label: string,
  value: { id: string; kind: "urn" | "secret"; text: string },
  note?: { id?: string; text: string },
): HTMLElement {
  return h(
    "div",
    { class: "panel confirmation" },
    h("p", { class: "panel-label" }, label),
    h("p", { class: value.kind, id: value.id }, value.text),
    note ? h("p", { class: "panel-note", id: note.id }, note.text) : null,
  );
}

/**
 * Previous and next over a list read a page at a time by cursor (the audit trails, the letter
 * queue). `cursors` led to the pages read so far, the current one last (`""` for the first);
 * `go` is given the cursors of the page to show. Buttons are `{id}-prev` and `{id}-next`.
 */
export function cursorPager(
  id: string,
  cursors: string[],
  next: string | null | undefined,
  go: (cursors: string[]) => void,
): HTMLElement {
  const button = (which: "prev" | "next", label: string, to: string[]) =>
    h("button", { type: "button", class: "button secondary", id: `${id}-${which}`, onclick: () => go(to) }, label);
  return h(
    "nav",
    { class: "pager", "aria-label": t("audit.pager") },
    cursors.length > 1 ? button("prev", `← ${t("audit.prev")}`, cursors.slice(0, -1)) : null,
    h("span", { class: "pager-page" }, t("audit.page", { page: cursors.length })),
    next ? button("next", `${t("audit.next")} →`, [...cursors, next]) : null,
  );
}

/** The readable terms of a version (portal or program), served with the portal in both
 *  languages (`web/public/terms/{version}.{en,fr}.html`); opened beside the form, so nothing
 *  typed is lost. */
export function termsLink(version: string): HTMLElement {
  return h(
    "a",
    { href: `/terms/${version}.${lang()}.html`, target: "_blank", rel: "noopener", class: "terms-link", "data-version": version },
    t("terms.read", { version }),
    " ",
    h("span", { class: "small" }, t("terms.read.newTab")),
  );
}

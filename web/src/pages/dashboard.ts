// My business accounts, with role and status, and what to do next.

import { api, type MyBusiness, type ToDo, type User } from "../api";
import { currentUser } from "../app";
import { h, type Child } from "../dom";
import { formatDate, t, type Key } from "../i18n";
import { isOfficer } from "../session";
import { programName, roleName, statusTag, undeliverableNotice } from "./common";

function action(href: string, label: Key, hint: Key): HTMLElement {
  return h("li", null, h("a", { href }, t(label)), h("p", { class: "hint" }, t(hint)));
}

/** One thing waiting on a business, as a link to the page where it is done. */
function toDoItem(b: MyBusiness, item: ToDo): HTMLElement {
  const base = `/business/${b.business_id}`;
  const name = b.legal_name;
  const line = (href: string, link: string, text: string) =>
    h("li", { "data-kind": item.kind, "data-business-id": b.business_id }, h("a", { href }, link), h("p", { class: "hint" }, text));
  switch (item.kind) {
    case "accept_terms":
      return line(`${base}/terms`, t("todo.terms", { name }), t("todo.terms.hint"));
    case "record_consent":
      return line(`${base}/sharing`, t("todo.consent", { name }), t("todo.consent.hint"));
    case "accept_ownership":
      return line(`${base}/transfer`, t("todo.acceptOwnership", { name }), t("todo.acceptOwnership.hint", { person: item.from_name, urn: item.from_urn, date: formatDate(item.expires_at, true) }));
    case "ownership_transfer_waiting":
      return line(
        `${base}/transfer`,
        t("todo.transferWaiting", { name }),
        t("todo.transferWaiting.hint", { person: item.to_name, urn: item.to_urn, date: formatDate(item.expires_at, true) }),
      );
  }
}

/** What waits for the person: on each business, and on their own account (an e-mail change). */
function toDoList(user: User, businesses: MyBusiness[]): Child {
  const items: HTMLElement[] = [];
  if (user.pending_email) {
    // The code works until it expires; after that, only asking for the change again helps.
    const until = user.pending_email_expires_at;
    const expired = until !== null && Date.parse(until) <= Date.now();
    const values = { email: user.pending_email, date: until ? formatDate(until, true) : "" };
    items.push(
      h(
        "li",
        { "data-kind": "confirm_email", "data-expired": String(expired) },
        h("a", { href: "/account" }, t(expired ? "todo.email.again" : "todo.email")),
        h("p", { class: "hint" }, t(expired ? "todo.email.expired" : "todo.email.hint", values)),
      ),
    );
  }
  for (const b of businesses) items.push(...(b.to_do ?? []).map((item) => toDoItem(b, item)));
  return [
    h("h2", { id: "to-do-heading" }, t("todo.title")),
    items.length
      ? h("ul", { class: "actions", id: "to-do", "aria-labelledby": "to-do-heading" }, items)
      : h("p", { class: "empty", id: "to-do" }, t("todo.none")),
  ];
}

export async function dashboardPage(): Promise<Child> {
  const user = (await currentUser())!;
  const businesses = await api<MyBusiness[]>("GET", "/users/me/businesses");
  const table = businesses.length
    ? h(
        "table",
        { class: "table", id: "businesses" },
        h("caption", { class: "visually-hidden" }, t("dash.caption")),
        h(
          "thead",
          null,
          h(
            "tr",
            null,
            h("th", { scope: "col" }, t("dash.col.business")),
            h("th", { scope: "col" }, t("dash.col.program")),
            h("th", { scope: "col" }, t("dash.col.status")),
            h("th", { scope: "col" }, t("dash.col.role")),
          ),
        ),
        h(
          "tbody",
          null,
          businesses.map((b) =>
            h(
              "tr",
              { "data-business-id": b.business_id },
              h("th", { scope: "row" }, h("a", { href: `/business/${b.business_id}` }, b.legal_name)),
              h("td", null, programName(b.program)),
              h("td", null, statusTag(b.status)),
              h(
                "td",
                { class: "role", "data-role": b.role ?? "delegated" },
                b.role
                  ? roleName(b.role)
                  : t("dash.delegated", { name: b.delegation?.through_legal_name ?? b.delegation?.through_business_id ?? "" }),
              ),
            ),
          ),
        ),
      )
    : h("p", { class: "empty" }, t("dash.empty"));
  return [
    h("h1", null, t("dash.title")),
    undeliverableNotice(user),
    h("p", { class: "urn-line" }, t("dash.yourUrn"), " ", h("span", { class: "urn-inline", id: "urn" }, user.urn)),
    toDoList(user, businesses),
    h("h2", null, t("dash.businesses")),
    table,
    h("h2", null, t("dash.actions")),
    h(
      "ul",
      { class: "actions" },
      action("/activate", "dash.activate", "dash.activate.hint"),
      action("/register", "dash.register", "dash.register.hint"),
      action("/request-code", "dash.requestCode", "dash.requestCode.hint"),
    ),
    isOfficer()
      ? [
          h("h2", null, t("dash.agency")),
          h(
            "ul",
            { class: "actions" },
            h("li", null, h("a", { href: "/officer/secrets" }, t("nav.issueSecret"))),
            h("li", null, h("a", { href: "/officer/letters" }, t("nav.letters"))),
          ),
        ]
      : null,
  ];
}

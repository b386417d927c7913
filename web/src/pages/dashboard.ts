// My business accounts, with role and status, and what to do next.

import { api, type MyBusiness } from "../api";
import { currentUser } from "../app";
import { h, type Child } from "../dom";
import { t, type Key } from "../i18n";
import { isOfficer } from "../session";
import { programName, roleName, statusTag, undeliverableNotice } from "./common";

function action(href: string, label: Key, hint: Key): HTMLElement {
  return h("li", null, h("a", { href }, t(label)), h("p", { class: "hint" }, t(hint)));
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

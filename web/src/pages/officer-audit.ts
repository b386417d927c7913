// Agency officers: the agency audit, what officers did, newest first, a page at a time.

import { api, type AgencyAuditPage } from "../api";
import { type Ctx } from "../app";
import { h, type Child } from "../dom";
import { formatDate, has, t, type Key } from "../i18n";
import { isOfficer } from "../session";
import { officersOnly } from "./agency";
import { cursorPager } from "./common";

/** Up to six identifiers, then how many more (a page of codes read names up to 100). */
function concerned(ids: string[]): string {
  const shown = ids.slice(0, 6).join(", ");
  return ids.length > 6 ? t("ag.audit.more", { shown, more: ids.length - 6 }) : shown;
}

export async function agencyAuditPage(ctx: Ctx): Promise<Child> {
  if (!isOfficer()) return officersOnly("ag.audit.title");
  // cursors[i] opens page i + 1 ("" for the first).
  const cursors = (ctx.state.cursors as string[] | undefined) ?? [""];
  ctx.state.cursors = cursors;
  const page = cursors.length;
  const cursor = cursors[page - 1];
  const result = await api<AgencyAuditPage>("GET", `/agency/audit${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ""}`);
  const table = result.events.length
    ? h(
        "table",
        { class: "table", id: "agency-audit" },
        h("caption", null, t("audit.caption", { page })),
        h(
          "thead",
          null,
          h(
            "tr",
            null,
            h("th", { scope: "col" }, t("audit.col.when")),
            h("th", { scope: "col" }, t("audit.col.action")),
            h("th", { scope: "col" }, t("ag.audit.col.officer")),
            h("th", { scope: "col" }, t("ag.audit.col.concerned")),
          ),
        ),
        h(
          "tbody",
          null,
          result.events.map((e) => {
            const actionKey = `ag.audit.action.${e.action}`;
            const idpKey = `idp.${e.officer_idp}`;
            return h(
              "tr",
              { "data-action": e.action, "data-officer": e.officer_sub },
              h("td", { class: "nowrap" }, formatDate(e.at, true)),
              h("th", { scope: "row" }, has(actionKey) ? t(actionKey as Key) : e.action),
              h("td", null, e.officer_sub, h("div", { class: "small" }, has(idpKey) ? t(idpKey as Key) : e.officer_idp)),
              h("td", { class: "mono" }, concerned(e.concerned)),
            );
          }),
        ),
      )
    : h("p", { class: "empty" }, t("audit.empty"));
  const pager = cursorPager("agency-audit", cursors, result.next_cursor, (to) => {
    ctx.state.cursors = to;
    ctx.rerender();
  });
  return [h("h1", null, t("ag.audit.title")), h("p", { class: "lead" }, t("ag.audit.intro")), table, pager];
}

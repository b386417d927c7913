// Delegations between business accounts: what this business gives (others act for it) and
// receives (it acts for others), with who did what; the owner offers, asks for, accepts and
// ends them; the owner and proxies choose which members act under a received one. The API
// checks every action again.

import { api, type Business, type Delegation, type DelegationParty } from "../api";
import { setFlash, type Ctx } from "../app";
import { h, type Child } from "../dom";
import { Form } from "../forms";
import { formatDate, t } from "../i18n";
import { notice, programChoices, programName } from "./common";

const can = (b: Business, p: string) => (b.permissions as string[]).includes(p);

function partyName(p: DelegationParty): string {
  const name = p.legal_name ? `${p.legal_name} (${p.business_identifier})` : p.business_identifier;
  return `${name}, ${programName(p.program)}`;
}

function statusLabel(status: string): string {
  return t(`dlg.status.${status}` as "dlg.status.active");
}

function permissionsLabel(p: string): string {
  return t(p === "view" ? "dlg.perm.view" : "dlg.perm.view_submit");
}

/** The side a delegation waits for, if it waits at all. */
function waitsFor(d: Delegation): "given" | "received" | null {
  if (d.status === "pending") return "received";
  if (d.status === "requested") return "given";
  return null;
}

function history(d: Delegation): HTMLElement {
  return h(
    "details",
    { class: "history" },
    h("summary", null, t("dlg.history")),
    h(
      "ol",
      null,
      d.history.map((step) =>
        h(
          "li",
          { "data-action": step.action },
          t(`dlg.action.${step.action}` as "dlg.action.offered"),
          step.by_urn ? ` (${t("dlg.by", { urn: step.by_urn })})` : "",
          ", ",
          formatDate(step.at, true),
        ),
      ),
    ),
  );
}

/** The actions the caller's role allows on one delegation. */
function actions(ctx: Ctx, b: Business, d: Delegation): Child[] {
  const base = `/businesses/${b.business_id}/delegations/${d.delegation_id}`;
  const out: Child[] = [];
  if (!can(b, "business:manage")) return out;
  if (waitsFor(d) === d.direction) {
    const accept = new Form(`accept-${d.delegation_id}`, {
      submit: t(d.direction === "received" ? "dlg.accept" : "dlg.approve"),
      buttonClass: "button small",
      compact: true,
      onSubmit: async () => {
        await api("POST", `${base}/accept`);
        setFlash({ key: "dlg.accepted" });
        ctx.rerender();
      },
    });
    out.push(accept.el);
  }
  if (["pending", "requested", "active"].includes(d.status)) {
    const label =
      d.status === "active" ? "dlg.end" : waitsFor(d) === d.direction ? "dlg.decline" : "dlg.withdraw";
    const end = new Form(`end-${d.delegation_id}`, {
      submit: t(label),
      buttonClass: "button warning small",
      compact: true,
      onSubmit: async () => {
        await api("DELETE", base);
        setFlash({ key: "dlg.ended" });
        ctx.rerender();
      },
    });
    out.push(end.el);
  }
  return out;
}

/** The members acting under a received, active delegation, and the form to choose one. */
function agents(ctx: Ctx, b: Business, d: Delegation): Child {
  if (d.direction !== "received") return null;
  const base = `/businesses/${b.business_id}/delegations/${d.delegation_id}/agents`;
  const manage = can(b, "members:manage-staff");
  const list = d.agents.length
    ? h(
        "ul",
        { class: "agents" },
        d.agents.map((a) => {
          const remove = manage
            ? new Form(`agent-remove-${d.delegation_id}-${a.urn}`, {
                submit: t("dlg.agent.remove"),
                buttonClass: "button secondary small",
                buttonHidden: ` ${a.name}`,
                compact: true,
                onSubmit: async () => {
                  await api("DELETE", `${base}/${encodeURIComponent(a.urn)}`);
                  setFlash({ key: "dlg.agent.removed", values: { name: a.name } });
                  ctx.rerender();
                },
              }).el
            : null;
          return h("li", { "data-urn": a.urn }, `${a.name} (${a.urn}), ${permissionsLabel(a.permissions)}`, remove);
        }),
      )
    : h("p", { class: "hint" }, t("dlg.agents.none"));
  let add: Child = null;
  if (manage && d.status === "active") {
    const form = new Form(`agent-add-${d.delegation_id}`, {
      submit: t("dlg.agent.add"),
      buttonClass: "button small",
      statusFields: { 404: "urn" },
      onSubmit: async (f) => {
        const urn = f.value("urn").trim();
        if (!urn) {
          f.fail([{ field: "urn", key: "apimsg.is required" }]);
          return;
        }
        const answer = await api<Delegation>("PUT", `${base}/${encodeURIComponent(urn)}`, {
          body: { permissions: f.value("permissions") },
        });
        const added = answer.agents.find((a) => a.urn === urn);
        setFlash({ key: "dlg.agent.added", values: { name: added?.name ?? urn } });
        ctx.rerender();
      },
    });
    const choices: Array<[string, string]> = [["view", permissionsLabel("view")]];
    if (d.permissions === "view_submit") choices.push(["view_submit", permissionsLabel("view_submit")]);
    form.add(
      form.text("urn", t("field.urn"), { hint: t("dlg.agent.hint"), inputmode: "numeric", width: "short", spellcheck: false }),
      form.select("permissions", t("dlg.field.permissions"), choices, { value: d.permissions }),
    );
    add = form.el;
  }
  return h("div", { class: "agents-block" }, h("h3", null, t("dlg.agents")), list, add);
}

function table(ctx: Ctx, b: Business, rows: Delegation[], direction: "given" | "received"): Child {
  if (!rows.length) return h("p", { class: "empty", id: `delegations-${direction}-empty` }, t(direction === "given" ? "dlg.given.none" : "dlg.received.none"));
  return h(
    "table",
    { class: "table", id: `delegations-${direction}` },
    h("caption", { class: "visually-hidden" }, t(direction === "given" ? "dlg.given.title" : "dlg.received.title")),
    h(
      "thead",
      null,
      h(
        "tr",
        null,
        h("th", { scope: "col" }, t(direction === "given" ? "dlg.col.grantee" : "dlg.col.grantor")),
        h("th", { scope: "col" }, t("dlg.col.permissions")),
        h("th", { scope: "col" }, t("dlg.col.ends")),
        h("th", { scope: "col" }, t("dlg.col.status")),
        h("th", { scope: "col" }, t("mem.col.actions")),
      ),
    ),
    h(
      "tbody",
      null,
      rows.map((d) =>
        h(
          "tr",
          { "data-delegation-id": d.delegation_id, "data-status": d.status },
          h(
            "th",
            { scope: "row" },
            partyName(direction === "given" ? d.grantee : d.grantor),
            d.note ? h("p", { class: "hint" }, d.note) : null,
          ),
          h("td", null, permissionsLabel(d.permissions)),
          h("td", null, d.ends_on),
          h("td", { class: "status" }, statusLabel(d.status)),
          h("td", null, actions(ctx, b, d), history(d), agents(ctx, b, d)),
        ),
      ),
    ),
  );
}

/** The form to offer a delegation (`given`) or ask for one (`received`). */
function openForm(ctx: Ctx, b: Business, kind: "offer" | "ask"): HTMLElement {
  const route = kind === "offer" ? "delegations" : "delegation-requests";
  const form = new Form(`delegation-${kind}`, {
    submit: t(kind === "offer" ? "dlg.offer.submit" : "dlg.ask.submit"),
    onSubmit: async (f) => {
      const note = f.value("note").trim();
      await api<Delegation>("POST", `/businesses/${b.business_id}/${route}`, {
        body: {
          program: f.value("program"),
          business_identifier: f.value("business_identifier").trim(),
          permissions: f.value("permissions"),
          ends_on: f.value("ends_on").trim(),
          note: note || undefined,
        },
      });
      setFlash({ key: kind === "offer" ? "dlg.offered" : "dlg.asked" });
      ctx.rerender();
    },
  });
  form.add(
    h("p", null, t(kind === "offer" ? "dlg.offer.intro" : "dlg.ask.intro")),
    form.select("program", t("field.program"), programChoices(), { value: b.program }),
    form.text("business_identifier", t("dlg.field.identifier"), { width: "medium", spellcheck: false }),
    form.select("permissions", t("dlg.field.permissions"), [
      ["view", permissionsLabel("view")],
      ["view_submit", permissionsLabel("view_submit")],
    ]),
    // gcds-input has no date type: a short text box, its hint gives the form.
    form.text("ends_on", t("dlg.field.ends_on"), { hint: t("dlg.field.ends_on.hint"), width: "short", spellcheck: false }),
    form.textarea("note", t("dlg.field.note"), { optional: true, rows: 2 }),
  );
  return form.el;
}

/** `/business/{id}/delegations`. */
export async function delegationsPage(ctx: Ctx, b: Business, top: Child[]): Promise<Child> {
  if (!can(b, "members:list")) {
    return [top, notice("info", h("p", null, t("dlg.cannotList")))];
  }
  const all = await api<Delegation[]>("GET", `/businesses/${b.business_id}/delegations`);
  const given = all.filter((d) => d.direction === "given");
  const received = all.filter((d) => d.direction === "received");
  const manage = can(b, "business:manage") && b.status === "authorized";
  return [
    top,
    h("p", { class: "lead" }, t("dlg.intro")),
    h("h2", null, t("dlg.given.title")),
    table(ctx, b, given, "given"),
    h("h2", null, t("dlg.received.title")),
    table(ctx, b, received, "received"),
    manage
      ? [
          h("h2", null, t("dlg.offer.title")),
          openForm(ctx, b, "offer"),
          h("h2", null, t("dlg.ask.title")),
          openForm(ctx, b, "ask"),
        ]
      : null,
  ];
}

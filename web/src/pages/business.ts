// One business account: overview, program terms, members, ownership transfer, information
// sharing, audit trail. What is shown follows the `permissions` the API lists for the caller's
// role; the API checks every action again.

import {
  api,
  apiAll,
  programs,
  type AuditEvent,
  type AuditPage,
  type Business,
  type Member,
  type Permission,
  type Role,
} from "../api";
import { backLink, currentUser, navigate, setFlash, type Ctx } from "../app";
import { h, type Child } from "../dom";
import { Form } from "../forms";
import { formatDate, has, t, type Key } from "../i18n";
import { delegationsPage } from "./delegations";
import {
  cursorPager,
  details,
  lines,
  notice,
  permissionName,
  phoneText,
  programName,
  roleName,
  statusName,
  statusTag,
  termsLink,
} from "./common";

/** The section a page belongs to: a tab, or a page reached from the overview (no tab current). */
type Tab = "overview" | "terms" | "members" | "delegations" | "transfer" | "sharing" | "audit" | "edit" | "close";

const can = (b: Business, p: Permission) => b.permissions.includes(p);

async function load(ctx: Ctx): Promise<Business> {
  return api<Business>("GET", `/businesses/${ctx.params[0]}`);
}

function tabs(b: Business, active: Tab): HTMLElement {
  const base = `/business/${b.business_id}`;
  const items: Array<[Tab, string, Key, boolean]> = [
    ["overview", base, "bus.tab.overview", true],
    ["terms", `${base}/terms`, "bus.tab.terms", true],
    ["members", `${base}/members`, "bus.tab.members", can(b, "members:list")],
    ["delegations", `${base}/delegations`, "bus.tab.delegations", can(b, "members:list")],
    ["transfer", `${base}/transfer`, "bus.tab.transfer", true],
    ["sharing", `${base}/sharing`, "bus.tab.sharing", can(b, "business:manage")],
    ["audit", `${base}/audit`, "bus.tab.audit", can(b, "audit:read")],
  ];
  return h(
    "nav",
    { class: "tabs", "aria-label": t("bus.tabs") },
    h(
      "ul",
      null,
      items
        .filter(([, , , shown]) => shown)
        .map(([tab, href, key]) =>
          h("li", null, h("a", { href, "aria-current": tab === active ? "page" : undefined }, t(key))),
        ),
    ),
  );
}

/** The heading block every business page starts with. */
function top(b: Business, active: Tab, title: Key | null): Child[] {
  return [
    h(
      "p",
      { class: "kicker" },
      title ? [h("span", { class: "kicker-name" }, b.legal_name), " · "] : null,
      programName(b.program),
      " · ",
      b.business_identifier,
    ),
    h("h1", null, title ? t(title) : b.legal_name),
    tabs(b, active),
  ];
}

// ---------------------------------------------------------------- overview

export async function overviewPage(ctx: Ctx): Promise<Child> {
  const b = await load(ctx);
  const sharing = b.information_sharing;
  const contact = b.owner_contact;
  return [
    top(b, "overview", null),
    b.status === "activated"
      ? notice(
          "warning",
          h("p", null, t("bus.termsNeeded")),
          can(b, "business:manage")
            ? h("p", null, h("a", { href: `/business/${b.business_id}/terms` }, t("bus.acceptTerms")))
            : null,
        )
      : null,
    h("h2", null, t("bus.details")),
    details([
      [t("bus.program"), programName(b.program)],
      [t("bus.identifier"), b.business_identifier],
      [t("bus.status"), statusTag(b.status)],
      [
        t("bus.role"),
        h(
          "strong",
          { id: "my-role", "data-role": b.role ?? "delegated" },
          b.role
            ? roleName(b.role)
            : t("bus.role.delegated", { name: b.delegation?.through_legal_name ?? b.delegation?.through_business_id ?? "" }),
        ),
      ],
      [t("bus.owner"), b.owner_urn],
      [t("bus.mailing_address"), lines(b.mailing_address)],
      [
        t("bus.terms_version"),
        h("span", { id: "terms-accepted" }, b.terms_version ? termsLink(b.terms_version) : t("bus.terms.none")),
      ],
      [
        t("bus.sharing"),
        sharing ? `${t(sharing.consent ? "share.given" : "share.withdrawn")} (${formatDate(sharing.recorded_at)})` : t("bus.sharing.none"),
      ],
    ]),
    h("h2", null, t("bus.contact")),
    h(
      "div",
      { id: "owner-contact" },
      details([
        [t("field.position_title"), contact.position_title],
        [t("field.address"), lines(contact.address)],
        [t("field.phone"), phoneText(contact.phone)],
        [t("field.email"), contact.email],
      ]),
    ),
    h("h2", { id: "access-heading" }, t("bus.access")),
    h(
      "ul",
      { class: "permissions", id: "permissions", "aria-labelledby": "access-heading" },
      b.permissions.map((p) => h("li", { "data-permission": p }, permissionName(p))),
    ),
    can(b, "business:manage")
      ? [
          h("h2", null, t("bus.manage")),
          h(
            "ul",
            { class: "actions", id: "manage" },
            h(
              "li",
              null,
              h("a", { href: `/business/${b.business_id}/edit` }, t("bus.edit")),
              h("p", { class: "hint" }, t("bus.edit.hint")),
            ),
            h(
              "li",
              null,
              h("a", { href: `/business/${b.business_id}/close` }, t("bus.close")),
              h("p", { class: "hint" }, t("bus.close.hint")),
            ),
          ),
        ]
      : null,
    backLink(),
  ];
}

// ---------------------------------------------------------------- edit details

/** `PATCH /businesses/{id}`: the owner changes the mailing address and the owner's contact. */
export async function editPage(ctx: Ctx): Promise<Child> {
  const b = await load(ctx);
  const base = `/business/${b.business_id}`;
  if (!can(b, "business:manage")) {
    return [top(b, "edit", "edit.title"), notice("info", h("p", null, t("edit.ownerOnly"))), backLink()];
  }
  if (b.status !== "authorized") {
    // The API answers 409 until the terms are accepted: say so before anyone types anything.
    return [
      top(b, "edit", "edit.title"),
      notice(
        "warning",
        h("p", { id: "edit-terms-needed" }, t("edit.termsNeeded")),
        h("p", null, h("a", { href: `${base}/terms` }, t("bus.acceptTerms"))),
      ),
      backLink(),
    ];
  }
  const contact = b.owner_contact;
  const form = new Form("edit-business", {
    submit: t("edit.submit"),
    onSubmit: async (f) => {
      // Only what changed is sent: an unchanged form is refused by the API ("Change at least
      // one field", by the mailing address), and no audit event records a change of nothing.
      const changed = (name: string, was: string) => (f.value(name) !== was ? f.value(name) : undefined);
      const owner_contact = {
        position_title: changed("owner_contact.position_title", contact.position_title),
        address: changed("owner_contact.address", contact.address),
        phone: changed("owner_contact.phone", phoneText(contact.phone)),
        email: changed("owner_contact.email", contact.email),
      };
      const contactChanged = Object.values(owner_contact).some((v) => v !== undefined);
      await api<Business>("PATCH", `/businesses/${b.business_id}`, {
        // Someone else's change since this page was read is not overwritten: the API says 409.
        headers: { "if-match": `"${b.version}"` },
        body: {
          mailing_address: changed("mailing_address", b.mailing_address),
          owner_contact: contactChanged ? owner_contact : undefined,
        },
      });
      navigate(base, { flash: { key: "edit.saved" } });
    },
  });
  form.add(
    form.textarea("mailing_address", t("field.mailing_address"), {
      value: b.mailing_address,
      hint: t("field.mailing_address.hint"),
      rows: 5,
    }),
    form.group(
      t("act.contact"),
      form.text("owner_contact.position_title", t("field.position_title"), {
        value: contact.position_title,
        autocomplete: "organization-title",
      }),
      form.textarea("owner_contact.address", t("field.address"), {
        value: contact.address,
        hint: t("field.mailing_address.hint"),
        rows: 4,
      }),
      form.text("owner_contact.phone", t("field.phone"), {
        value: phoneText(contact.phone),
        type: "tel",
        autocomplete: "tel",
        hint: t("field.phone.hint"),
        width: "medium",
      }),
      form.text("owner_contact.email", t("field.email"), {
        value: contact.email,
        type: "email",
        autocomplete: "email",
        spellcheck: false,
      }),
    ),
  );
  return [top(b, "edit", "edit.title"), h("p", { class: "lead" }, t("edit.intro")), form.el, backLink()];
}

// ---------------------------------------------------------------- close

/** `DELETE /businesses/{id}`: the owner closes the business account, once they confirm. */
export async function closePage(ctx: Ctx): Promise<Child> {
  const b = await load(ctx);
  const base = `/business/${b.business_id}`;
  if (!can(b, "business:manage")) {
    return [top(b, "close", "close.title"), notice("info", h("p", null, t("close.ownerOnly"))), backLink()];
  }
  const form = new Form("close-business", {
    submit: t("close.submit"),
    buttonClass: "button warning",
    onSubmit: async (f) => {
      if (!f.checked("confirm")) {
        f.fail([{ field: "confirm", key: "close.check.required" }]);
        return;
      }
      await api("DELETE", `/businesses/${b.business_id}`);
      navigate("/dashboard", { flash: { key: "close.done", values: { name: b.legal_name } } });
    },
  });
  form.add(
    form.checkbox("confirm", t("close.check", { name: b.legal_name }), { short: t("close.check.short") }),
  );
  form.el.querySelector(".form-actions")?.appendChild(h("a", { href: base, class: "button secondary" }, t("close.keep")));
  return [
    top(b, "close", "close.title"),
    h(
      "div",
      { class: "panel confirm", id: "confirm-close" },
      h("p", null, t("close.intro", { name: b.legal_name, program: programName(b.program), identifier: b.business_identifier })),
      h("p", null, h("strong", null, t("close.permanent"))),
      form.el,
    ),
    backLink(),
  ];
}

// ---------------------------------------------------------------- terms

export async function termsPage(ctx: Ctx): Promise<Child> {
  const b = await load(ctx);
  const rules = (await programs()).programs.find((p) => p.program === b.program);
  const version = rules?.terms_version ?? "";
  let body: Child;
  if (b.status !== "activated") {
    const accepted = b.terms_version ?? version;
    body = notice("success", h("p", null, t("terms.accepted", { version: accepted })), h("p", null, termsLink(accepted)));
  } else if (!can(b, "business:manage")) {
    body = [notice("info", h("p", null, t("terms.ownerOnly"))), h("p", null, termsLink(version))];
  } else {
    const form = new Form("terms", {
      submit: t("terms.submit"),
      onSubmit: async (f) => {
        if (!f.checked("accept")) {
          f.fail([{ field: "accept", key: "terms.check.required" }]);
          return;
        }
        await api("POST", `/businesses/${b.business_id}/terms`, { body: { version } });
        navigate(`/business/${b.business_id}`, { flash: { key: "terms.done" } });
      },
      aliases: { version: "accept" },
    });
    form.add(
      h("p", null, t("terms.intro", { program: programName(b.program), version })),
      h("p", { class: "terms-beside" }, termsLink(version)),
      form.checkbox("accept", t("terms.check", { version }), { short: t("terms.check.short") }),
    );
    body = form.el;
  }
  return [top(b, "terms", "terms.title"), body, backLink()];
}

// ---------------------------------------------------------------- members

/** Roles as radio choices, each with what it allows (api.md's permission table). */
function roleGuide(roles: Role[]): Array<[string, string, string]> {
  return roles.map((r) => [r, roleName(r), t(`role.${r}.hint` as Key)]);
}

/** The roles the caller may give or take away. */
function powers(b: Business): Role[] {
  const roles: Role[] = [];
  if (can(b, "members:manage-proxy")) roles.push("proxy");
  if (can(b, "members:manage-staff")) roles.push("user", "browser");
  return roles;
}

export async function membersPage(ctx: Ctx): Promise<Child> {
  const b = await load(ctx);
  if (!can(b, "members:list")) {
    return [top(b, "members", "mem.title"), notice("info", h("p", null, t("mem.cannotList"))), backLink()];
  }
  const [members, me] = await Promise.all([
    apiAll<Member>(`/businesses/${b.business_id}/members`),
    currentUser(),
  ]);
  const assignable = powers(b);
  const base = `/businesses/${b.business_id}/members`;
  const confirming = members.find((m) => m.urn === ctx.state.confirmRemove);
  const changing = members.find((m) => m.urn === ctx.state.changeRole && assignable.includes(m.role));

  const rows = members.map((m) => {
    const self = m.urn === me?.urn;
    const manageable = !self && m.role !== "owner" && assignable.includes(m.role);
    let actions: Child = null;
    if (manageable) {
      actions = h(
        "div",
        { class: "row-actions" },
        h(
          "button",
          {
            type: "button",
            class: "button secondary small",
            "aria-label": t("mem.changeRole.label", { name: m.name }),
            onclick: () => {
              ctx.state.changeRole = m.urn;
              ctx.state.confirmRemove = undefined;
              ctx.rerender();
            },
          },
          t("mem.changeRole"),
        ),
        h(
          "button",
          {
            type: "button",
            class: "button warning small",
            "aria-label": t("mem.remove.label", { name: m.name }),
            onclick: () => {
              ctx.state.confirmRemove = m.urn;
              ctx.state.changeRole = undefined;
              ctx.rerender();
            },
          },
          t("mem.remove"),
        ),
      );
    }
    return h(
      "tr",
      { "data-urn": m.urn },
      h("th", { scope: "row" }, m.name, self ? h("span", { class: "you" }, ` ${t("mem.you")}`) : null),
      h("td", { class: "mono" }, m.urn),
      h("td", { class: "role", "data-role": m.role }, roleName(m.role)),
      h("td", null, formatDate(m.since)),
      assignable.length ? h("td", null, actions) : null,
    );
  });

  let confirmation: Child = null;
  if (confirming) {
    const remove = new Form("remove-member", {
      submit: t("mem.remove.yes", { name: confirming.name }),
      buttonClass: "button warning",
      onSubmit: async () => {
        await api("DELETE", `${base}/${encodeURIComponent(confirming.urn)}`, {
          headers: { "if-match": `"${confirming.version}"` },
        });
        ctx.state.confirmRemove = undefined;
        setFlash({ key: "mem.removed", values: { name: confirming.name } });
        ctx.rerender();
      },
    });
    remove.add(h("p", null, t("mem.remove.confirm", { name: confirming.name })));
    remove.el.querySelector(".form-actions")?.appendChild(
      h(
        "button",
        {
          type: "button",
          class: "button secondary",
          onclick: () => {
            ctx.state.confirmRemove = undefined;
            ctx.rerender();
          },
        },
        t("common.cancel"),
      ),
    );
    confirmation = h("div", { class: "panel confirm", id: "confirm-remove" }, remove.el);
  }

  // A member's new role: the roles the caller may give, each with what it allows, as when adding.
  let roleChange: Child = null;
  if (changing) {
    const change = new Form("new-role", {
      submit: t("mem.changeRole.save"),
      aliases: { urn: "role" },
      statusFields: { 404: "role", 403: "role", 409: "role" },
      onSubmit: async (f) => {
        const answer = await api<Member>("PUT", `${base}/${encodeURIComponent(changing.urn)}`, {
          body: { role: f.value("role") },
          headers: { "if-match": `"${changing.version}"` },
        });
        ctx.state.changeRole = undefined;
        setFlash({ key: "mem.changed", values: { name: answer.name, role: roleName(answer.role) } });
        ctx.rerender();
      },
    });
    change.add(
      h("p", null, t("mem.changeRole.intro", { name: changing.name })),
      change.radios("role", t("mem.newRole", { name: changing.name }), roleGuide(assignable), { value: changing.role }),
    );
    change.el.querySelector(".form-actions")?.appendChild(
      h(
        "button",
        {
          type: "button",
          class: "button secondary",
          onclick: () => {
            ctx.state.changeRole = undefined;
            ctx.rerender();
          },
        },
        t("common.cancel"),
      ),
    );
    roleChange = h(
      "div",
      { class: "panel", id: "change-role", "data-urn": changing.urn },
      h("h2", null, t("mem.changeRole.label", { name: changing.name })),
      change.el,
    );
  }

  let addForm: Child = null;
  if (assignable.length && b.status === "authorized") {
    const add = new Form("add-member", {
      submit: t("mem.add.submit"),
      // A URN and e-mail that do not belong together are answered as an unknown URN.
      statusFields: { 404: "urn" },
      onSubmit: async (f) => {
        const urn = f.value("urn").trim();
        if (!urn) {
          f.fail([{ field: "urn", key: "empty.urn" }]);
          return;
        }
        const answer = await api<Member>("PUT", `${base}/${encodeURIComponent(urn)}`, {
          body: { role: f.value("role"), email: f.value("email").trim() },
        });
        setFlash({ key: "mem.added", values: { name: answer.name, role: roleName(answer.role) } });
        ctx.rerender();
      },
    });
    add.add(
      h("p", null, t("mem.add.intro")),
      add.text("urn", t("field.urn"), { hint: t("field.urn.hint"), inputmode: "numeric", width: "short", spellcheck: false }),
      add.text("email", t("field.email"), {
        hint: t("mem.add.email.hint"),
        type: "email",
        autocomplete: "off",
        width: "long",
        spellcheck: false,
      }),
      add.radios("role", t("field.role"), roleGuide(assignable), { value: assignable.includes("user") ? "user" : assignable[0] }),
    );
    addForm = [h("h2", null, t("mem.add")), add.el];
  } else if (b.status === "activated") {
    addForm = notice("warning", h("p", null, t("bus.termsNeeded")));
  }

  return [
    top(b, "members", "mem.title"),
    confirmation,
    roleChange,
    h(
      "table",
      { class: "table", id: "members" },
      h("caption", { class: "visually-hidden" }, t("mem.caption", { business: b.legal_name })),
      h(
        "thead",
        null,
        h(
          "tr",
          null,
          h("th", { scope: "col" }, t("mem.col.name")),
          h("th", { scope: "col" }, t("mem.col.urn")),
          h("th", { scope: "col" }, t("mem.col.role")),
          h("th", { scope: "col" }, t("mem.col.since")),
          assignable.length ? h("th", { scope: "col" }, t("mem.col.actions")) : null,
        ),
      ),
      h("tbody", null, rows),
    ),
    addForm,
    backLink(),
  ];
}

// ---------------------------------------------------------------- delegations

export async function delegationsTab(ctx: Ctx): Promise<Child> {
  const b = await load(ctx);
  return [await delegationsPage(ctx, b, top(b, "delegations", "dlg.title")), backLink()];
}

// ---------------------------------------------------------------- ownership transfer

export async function transferPage(ctx: Ctx): Promise<Child> {
  const b = await load(ctx);
  const parts: Child[] = [top(b, "transfer", "tr.title")];
  const pending = b.ownership_transfer ?? null;
  const base = `/business/${b.business_id}`;
  if (can(b, "business:manage") && pending) {
    // One transfer at a time: while it waits, the owner may only cancel it.
    const cancel = new Form("transfer-cancel", {
      submit: t("tr.cancel"),
      buttonClass: "button secondary",
      onSubmit: async () => {
        await api("DELETE", `/businesses/${b.business_id}/ownership-transfer`);
        setFlash({ key: "tr.cancelled" });
        ctx.rerender();
      },
    });
    cancel.add(h("p", null, t("tr.cancel.intro")));
    parts.push(
      h("h2", null, t("tr.pending.title")),
      details([
        [t("tr.pending.to"), h("span", { id: "transfer-to" }, `${pending.to_name} (${pending.to_urn})`)],
        [t("tr.pending.requested"), formatDate(pending.requested_at, true)],
        [t("tr.pending.until"), h("span", { id: "transfer-until" }, formatDate(pending.expires_at, true))],
      ]),
      h("p", { id: "transfer-state", "data-state": "waiting" }, t("tr.pending.waiting", { name: pending.to_name })),
      cancel.el,
    );
  } else if (can(b, "business:manage")) {
    // The new owner is one of the members, picked by name (the API still checks the URN).
    const members = await apiAll<Member>(`/businesses/${b.business_id}/members`);
    const candidates = members.filter((m) => m.role !== "owner");
    parts.push(h("p", { id: "transfer-state", "data-state": "none" }, t("tr.none")));
    if (!candidates.length) {
      parts.push(notice("info", h("p", null, t("tr.noMembers")), h("p", null, h("a", { href: `${base}/members` }, t("tr.addMember")))));
    } else {
      const start = new Form("transfer-start", {
        submit: t("tr.start"),
        statusFields: { 404: "to_urn", 403: "to_urn", 409: "to_urn" },
        aliases: { urn: "to_urn" },
        onSubmit: async (f) => {
          const to = f.value("to_urn");
          if (!to) {
            f.fail([{ field: "to_urn", key: "tr.choose.required" }]);
            return;
          }
          const answer = await api<{ to_urn: string; expires_at: string }>(
            "POST",
            `/businesses/${b.business_id}/ownership-transfer`,
            { idempotencyKey: f.idempotencyKey(), body: { to_urn: to } },
          );
          const name = candidates.find((m) => m.urn === answer.to_urn)?.name ?? answer.to_urn;
          setFlash({ key: "tr.started.named", values: { name, urn: answer.to_urn, date: formatDate(answer.expires_at, true) } });
          ctx.rerender();
        },
      });
      start.add(
        h("p", null, t("tr.owner.intro")),
        start.select(
          "to_urn",
          t("tr.choose"),
          candidates.map((m) => [m.urn, t("tr.choice", { name: m.name, role: roleName(m.role), urn: m.urn })]),
          { placeholder: t("tr.choose.placeholder"), hint: t("tr.choose.hint") },
        ),
      );
      parts.push(start.el);
    }
  } else if (pending?.yours_to_accept) {
    const accept = new Form("transfer-accept", {
      submit: t("tr.accept"),
      onSubmit: async () => {
        await api("POST", `/businesses/${b.business_id}/ownership-transfer/accept`);
        navigate(base, { flash: { key: "tr.accepted" } });
      },
    });
    accept.add(
      h(
        "p",
        { id: "transfer-state", "data-state": "yours" },
        t("tr.named", { name: pending.from_name, urn: pending.from_urn, date: formatDate(pending.expires_at, true) }),
      ),
      h("p", null, t("tr.accept.intro")),
    );
    parts.push(accept.el);
  } else {
    parts.push(notice("info", h("p", { id: "transfer-state", "data-state": "none" }, t("tr.nothingForYou"))));
  }
  parts.push(backLink());
  return parts;
}

// ---------------------------------------------------------------- information sharing

export async function sharingPage(ctx: Ctx): Promise<Child> {
  const b = await load(ctx);
  const current = b.information_sharing;
  const parts: Child[] = [top(b, "sharing", "share.title"), h("p", { class: "lead" }, t("share.intro"))];
  parts.push(
    h("h2", null, t("share.current")),
    current
      ? details([
          [t("share.current"), h("strong", { id: "consent-state" }, t(current.consent ? "share.given" : "share.withdrawn"))],
          ["", t("share.signedBy", { name: current.signatory_name, title: current.signatory_title, date: formatDate(current.recorded_at, true) })],
        ])
      : h("p", { id: "consent-state" }, t("bus.sharing.none")),
  );
  if (!can(b, "business:manage")) {
    parts.push(notice("info", h("p", null, t("share.ownerOnly"))), backLink());
    return parts;
  }
  const form = new Form("sharing", {
    submit: t("share.submit"),
    onSubmit: async (f) => {
      const choice = f.radio("consent");
      await api("PUT", `/businesses/${b.business_id}/information-sharing`, {
        body: {
          consent: choice === null ? null : choice === "yes",
          signatory_name: f.value("signatory_name"),
          signatory_title: f.value("signatory_title"),
        },
      });
      setFlash({ key: "share.saved" });
      ctx.rerender();
    },
  });
  form.add(
    form.radios(
      "consent",
      t("field.consent"),
      [
        ["yes", t("field.consent.yes")],
        ["no", t("field.consent.no")],
      ],
      { value: current ? (current.consent ? "yes" : "no") : undefined },
    ),
    form.text("signatory_name", t("field.signatory_name"), { autocomplete: "name" }),
    form.text("signatory_title", t("field.signatory_title"), { autocomplete: "organization-title" }),
  );
  parts.push(form.el, backLink());
  return parts;
}

// ---------------------------------------------------------------- audit trail

const AUDIT_PAGE_SIZE = 10;

/** What an audit event changed, in words: the fields people care about, in their language. */
const DETAIL_FIELDS: Array<[string, Key]> = [
  ["urn", "audit.detail.urn"],
  ["to_urn", "audit.detail.to_urn"],
  ["role", "audit.detail.role"],
  ["status", "audit.detail.status"],
  ["terms_version", "audit.detail.terms_version"],
  ["owner_urn", "audit.detail.owner_urn"],
  ["consent", "audit.detail.consent"],
  ["signatory_name", "audit.detail.signatory_name"],
  ["signatory_title", "audit.detail.signatory_title"],
  ["expires_at", "audit.detail.expires_at"],
];

/** "Name (URN)" where the name is known, else the URN alone. */
type Names = Map<string, string>;
function named(names: Names, urn: string): string {
  const name = names.get(urn);
  return name ? `${name} (${urn})` : urn;
}

function summary(value: unknown, names: Names): string {
  if (!value || typeof value !== "object") return "";
  const record = value as Record<string, unknown>;
  return DETAIL_FIELDS.filter(([k]) => record[k] !== undefined && record[k] !== null)
    .map(([k, label]) => {
      const v = record[k];
      let shown = String(v);
      if (k === "role") shown = roleName(shown);
      else if (k === "status") shown = statusName(shown);
      else if (k === "consent") shown = t(v ? "common.yes" : "common.no");
      else if (k === "expires_at") shown = formatDate(shown, true);
      else if (k === "urn" || k === "to_urn" || k === "owner_urn") shown = named(names, shown);
      return t("audit.detail", { label: t(label), value: shown });
    })
    .join(" · ");
}

/** The names an event's URNs show with: the ones it stored win over today's members list. */
function eventNames(e: AuditEvent, members: Member[]): Names {
  const names: Names = new Map(members.map((m) => [m.urn, m.name]));
  if (e.actor_name) names.set(e.actor_urn, e.actor_name);
  if (e.subject_urn && e.subject_name) names.set(e.subject_urn, e.subject_name);
  return names;
}

export async function auditPage(ctx: Ctx): Promise<Child> {
  const b = await load(ctx);
  if (!can(b, "audit:read")) {
    return [top(b, "audit", "audit.title"), notice("info", h("p", null, t("err.403"))), backLink()];
  }
  // cursors[i] opens page i + 1 ("" for the first).
  const cursors = (ctx.state.cursors as string[] | undefined) ?? [""];
  ctx.state.cursors = cursors;
  const page = cursors.length;
  const query = new URLSearchParams({ limit: String(AUDIT_PAGE_SIZE) });
  if (cursors[page - 1]) query.set("cursor", cursors[page - 1]!);
  // Names beside URNs: those the event kept when it was written first, then the members list
  // (audit readers may list members) for older events; someone who left before events kept
  // names shows by URN alone.
  const [result, members] = await Promise.all([
    api<AuditPage>("GET", `/businesses/${b.business_id}/audit?${query}`),
    can(b, "members:list") ? apiAll<Member>(`/businesses/${b.business_id}/members`) : Promise.resolve([]),
  ]);

  const table = result.events.length
    ? h(
        "table",
        { class: "table", id: "audit" },
        h("caption", null, t("audit.caption", { page })),
        h(
          "thead",
          null,
          h(
            "tr",
            null,
            h("th", { scope: "col" }, t("audit.col.when")),
            h("th", { scope: "col" }, t("audit.col.action")),
            h("th", { scope: "col" }, t("audit.col.by")),
            h("th", { scope: "col" }, t("audit.col.idp")),
            h("th", { scope: "col" }, t("audit.col.details")),
          ),
        ),
        h(
          "tbody",
          null,
          result.events.map((e) => {
            const names = eventNames(e, members);
            const actionKey = `audit.action.${e.action}`;
            const idpKey = `idp.${e.actor_idp}`;
            return h(
              "tr",
              { "data-action": e.action },
              h("td", { class: "nowrap" }, formatDate(e.at, true)),
              h("th", { scope: "row" }, has(actionKey) ? t(actionKey) : e.action),
              h("td", { class: "actor", "data-urn": e.actor_urn }, named(names, e.actor_urn)),
              h("td", null, has(idpKey) ? t(idpKey) : e.actor_idp),
              h("td", { class: "small" }, summary(e.after ?? e.before, names)),
            );
          }),
        ),
      )
    : h("p", { class: "empty" }, t("audit.empty"));

  const pager = cursorPager("audit", cursors, result.next_cursor, (to) => {
    ctx.state.cursors = to;
    ctx.rerender();
  });
  return [top(b, "audit", "audit.title"), table, pager, backLink()];
}

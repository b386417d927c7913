// Agency officers, the support desk: identify a caller by their URN, or find a business by its
// identifier or Business Number. Every look-up is in the agency audit.

import { api, type SupportBusiness, type SupportUser } from "../api";
import { type Ctx } from "../app";
import { h, type Child } from "../dom";
import { formatDate, has, t, type Key } from "../i18n";
import { isOfficer } from "../session";
import { officersOnly } from "./agency";
import { details, programChoices, programName, roleName, statusTag } from "./common";
import { Form } from "../forms";

function userCard(user: SupportUser): Child {
  const idpKey = `idp.${user.credential_kind}`;
  const businesses = user.businesses.length
    ? h(
        "table",
        { class: "table", id: "support-user-businesses" },
        h("caption", null, t("ag.users.businesses")),
        h(
          "thead",
          null,
          h(
            "tr",
            null,
            h("th", { scope: "col" }, t("dash.col.business")),
            h("th", { scope: "col" }, t("field.program")),
            h("th", { scope: "col" }, t("field.business_identifier")),
            h("th", { scope: "col" }, t("ag.users.col.role")),
            h("th", { scope: "col" }, t("ag.users.col.status")),
          ),
        ),
        h(
          "tbody",
          null,
          user.businesses.map((b) =>
            h(
              "tr",
              { "data-business": b.business_id },
              h("th", { scope: "row" }, b.legal_name),
              h("td", null, programName(b.program)),
              h("td", { class: "mono" }, b.business_identifier),
              h("td", null, roleName(b.role)),
              h("td", null, statusTag(b.status)),
            ),
          ),
        ),
      )
    : h("p", { class: "empty" }, t("ag.users.none"));
  return [
    h("h2", { id: "support-user" }, user.name),
    details([
      [t("field.urn"), h("span", { class: "mono" }, user.urn)],
      [t("field.email"), user.email],
      [t("field.language"), t(user.language === "fr" ? "lang.fr" : "lang.en")],
      [t("ag.users.credential"), has(idpKey) ? t(idpKey as Key) : user.credential_kind],
      [t("ag.users.created"), formatDate(user.created_at, true)],
      [t("ag.users.lastActive"), user.last_active_at ? formatDate(user.last_active_at, true) : t("ag.users.lastActive.none")],
      [t("ag.users.col.status"), t(user.status === "retired" ? "ag.users.status.retired" : "ag.users.status.active")],
    ]),
    businesses,
  ];
}

export function supportUserPage(ctx: Ctx): Child {
  if (!isOfficer()) return officersOnly("ag.users.title");
  const found = ctx.state.supportUser as SupportUser | undefined;
  const form = new Form("support-user", {
    submit: t("ag.users.submit"),
    onSubmit: async (f) => {
      const urn = f.value("urn").replace(/[\s-]/g, "");
      ctx.state.supportUser = await api<SupportUser>("GET", `/agency/users/${encodeURIComponent(urn)}`);
      ctx.rerender();
    },
  });
  form.add(
    form.text("urn", t("field.urn"), { hint: t("field.urn.hint"), inputmode: "numeric", width: "short", spellcheck: false }),
  );
  return [
    h("h1", null, t("ag.users.title")),
    h("p", { class: "lead" }, t("ag.users.intro")),
    form.el,
    found ? userCard(found) : null,
  ];
}

function businessCard(b: SupportBusiness): Child {
  return [
    h("h2", { id: "support-business" }, b.legal_name ?? b.business_identifier),
    details([
      [t("field.program"), programName(b.program)],
      [t("field.business_identifier"), h("span", { class: "mono" }, b.business_identifier)],
      [t("field.business_number"), b.business_number ?? ""],
      [t("ag.users.col.status"), b.status === "none" ? t("ag.biz.status.none") : statusTag(b.status)],
      [t("ag.biz.owner"), b.owner ? `${b.owner.name} (${b.owner.urn})` : ""],
      [t("ag.biz.members"), String(b.members)],
      [
        t("ag.biz.secret"),
        b.secret
          ? t(b.secret.purpose === "recovery" ? "ag.biz.secret.recovery" : "ag.biz.secret.activation", {
              date: formatDate(b.secret.expires_at, true),
            })
          : t("ag.biz.secret.none"),
      ],
      [t("ag.biz.letter"), b.letter ? t(`ag.letters.status.${b.letter.status}` as Key) : ""],
    ]),
  ];
}

export function supportBusinessPage(ctx: Ctx): Child {
  if (!isOfficer()) return officersOnly("ag.biz.title");
  const found = ctx.state.supportBusiness as SupportBusiness | undefined;
  const form = new Form("support-business", {
    submit: t("ag.biz.submit"),
    onSubmit: async (f) => {
      const number = f.value("business_number").replace(/[\s-]/g, "");
      const query = number
        ? `business_number=${encodeURIComponent(number)}`
        : `program=${encodeURIComponent(f.value("program"))}&identifier=${encodeURIComponent(f.value("business_identifier").trim())}`;
      ctx.state.supportBusiness = await api<SupportBusiness>("GET", `/agency/businesses?${query}`);
      ctx.rerender();
    },
  });
  form.add(
    form.select("program", t("field.program"), programChoices(), { placeholder: t("field.program.choose"), optional: true }),
    form.text("business_identifier", t("field.business_identifier"), {
      hint: t("field.business_identifier.hint"),
      width: "medium",
      spellcheck: false,
      optional: true,
    }),
    form.text("business_number", t("field.business_number"), {
      hint: t("ag.biz.bn.hint"),
      inputmode: "numeric",
      width: "short",
      spellcheck: false,
      optional: true,
    }),
  );
  return [h("h1", null, t("ag.biz.title")), h("p", { class: "lead" }, t("ag.biz.intro")), form.el, found ? businessCard(found) : null];
}

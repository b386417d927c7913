// Agency officers: issue a shared secret, and the queue of letters to mail.

import { api, type Issued, type Letter } from "../api";
import { setFlash, type Ctx } from "../app";
import { h, type Child } from "../dom";
import { Form } from "../forms";
import { formatDate, lang, t } from "../i18n";
import { isOfficer } from "../session";
import { details, languageChoices, lines, notice, programChoices, programName, shownOnce } from "./common";

function officersOnly(title: "ag.secret.title" | "ag.letters.title"): Child {
  return [h("h1", null, t(title)), notice("warning", h("p", null, t("ag.only")))];
}

export function issueSecretPage(ctx: Ctx): Child {
  if (!isOfficer()) return officersOnly("ag.secret.title");
  const issued = ctx.state.issued as (Issued & { legal_name: string; identifier: string; program: string }) | undefined;
  if (issued) {
    return [
      h("h1", null, t("ag.secret.done")),
      shownOnce(
        t("ag.secret.value"),
        { id: "shared-secret", kind: "secret", text: issued.shared_secret },
        { text: t("ag.secret.once") },
      ),
      details([
        [t("dash.col.business"), issued.legal_name],
        [t("field.program"), programName(issued.program)],
        [t("field.business_identifier"), issued.identifier],
        [t("ag.secret.expires"), formatDate(issued.expires_at, true)],
        [t("ag.secret.delivery"), t(issued.delivery === "letter" ? "delivery.letter" : "delivery.email")],
      ]),
      h(
        "p",
        { class: "button-row" },
        h(
          "button",
          {
            type: "button",
            class: "button primary",
            id: "issue-another",
            onclick: () => {
              ctx.state.issued = undefined;
              ctx.rerender();
            },
          },
          t("ag.secret.title"),
        ),
        issued.delivery === "letter" ? h("a", { href: "/officer/letters", class: "button secondary" }, t("nav.letters")) : null,
      ),
    ];
  }
  const form = new Form("issue-secret", {
    submit: t("ag.secret.submit"),
    onSubmit: async (f) => {
      const program = f.value("program");
      const answer = await api<Issued>("POST", "/agency/shared-secrets", {
        idempotencyKey: f.idempotencyKey(),
        body: {
          program: program || null,
          business_identifier: f.value("business_identifier"),
          legal_name: f.value("legal_name"),
          mailing_address: f.value("mailing_address"),
          email: f.optional("email"),
          language: f.radio("language"),
        },
      });
      ctx.state.issued = {
        ...answer,
        program,
        identifier: f.value("business_identifier").trim().toUpperCase(),
        legal_name: f.value("legal_name"),
      };
      ctx.rerender();
    },
  });
  form.add(
    form.select("program", t("field.program"), programChoices(), { placeholder: t("field.program.choose") }),
    form.text("business_identifier", t("field.business_identifier"), {
      hint: t("field.business_identifier.hint"),
      width: "medium",
      spellcheck: false,
    }),
    form.text("legal_name", t("field.legal_name")),
    form.textarea("mailing_address", t("field.mailing_address"), { hint: t("field.mailing_address.hint"), rows: 5 }),
    form.text("email", t("field.contact_email"), {
      type: "email",
      hint: t("field.contact_email.hint"),
      optional: true,
      spellcheck: false,
    }),
    form.radios("language", t("field.letter_language"), languageChoices(), { value: lang(), inline: true }),
  );
  return [h("h1", null, t("ag.secret.title")), h("p", { class: "lead" }, t("ag.secret.intro")), form.el];
}

export async function lettersPage(ctx: Ctx): Promise<Child> {
  if (!isOfficer()) return officersOnly("ag.letters.title");
  const letters = await api<Letter[]>("GET", "/agency/letters?status=pending");
  if (!letters.length) {
    return [h("h1", null, t("ag.letters.title")), h("p", { class: "empty" }, t("ag.letters.empty"))];
  }
  const rows = letters.map((l) => {
    const mark = new Form(`mail-${l.letter_id}`, {
      submit: t("ag.letters.mark"),
      buttonClass: "button secondary small",
      buttonHidden: t("ag.letters.mark.label", { name: l.legal_name }),
      compact: true,
      onSubmit: async () => {
        await api("POST", `/agency/letters/${encodeURIComponent(l.letter_id)}/mailed`);
        setFlash({ key: "ag.letters.marked", values: { name: l.legal_name } });
        ctx.rerender();
      },
    });
    return h(
      "tr",
      { "data-identifier": l.business_identifier },
      h(
        "th",
        { scope: "row" },
        l.legal_name,
        h("div", { class: "small" }, programName(l.program), " · ", l.business_identifier),
      ),
      h("td", null, lines(l.mailing_address)),
      h("td", { class: "mono secret-cell" }, l.shared_secret),
      h("td", { class: "nowrap" }, formatDate(l.expires_at)),
      h("td", null, t(l.language === "fr" ? "lang.fr" : "lang.en")),
      h("td", null, mark.el),
    );
  });
  return [
    h("h1", null, t("ag.letters.title")),
    h("p", { class: "lead" }, t("ag.letters.intro")),
    h(
      "table",
      { class: "table", id: "letters" },
      h("caption", { class: "visually-hidden" }, t("ag.letters.caption")),
      h(
        "thead",
        null,
        h(
          "tr",
          null,
          h("th", { scope: "col" }, t("ag.letters.col.business")),
          h("th", { scope: "col" }, t("ag.letters.col.address")),
          h("th", { scope: "col" }, t("ag.letters.col.secret")),
          h("th", { scope: "col" }, t("ag.letters.col.expires")),
          h("th", { scope: "col" }, t("ag.letters.col.language")),
          h("th", { scope: "col" }, t("ag.letters.col.action")),
        ),
      ),
      h("tbody", null, rows),
    ),
  ];
}

// Agency officers: issue a shared secret, and keep the agency's business register (the letter
// queue is in letters.ts, the agency audit in officer-audit.ts).

import { api, type Issued, type RegisterEntry } from "../api";
import { setFlash, type Ctx } from "../app";
import { h, type Child } from "../dom";
import { Form } from "../forms";
import { formatDate, lang, t } from "../i18n";
import { isOfficer } from "../session";
import { details, languageChoices, notice, programChoices, programName, shownOnce } from "./common";

export function officersOnly(
  title: "ag.secret.title" | "ag.letters.title" | "ag.register.title" | "ag.audit.title" | "ag.users.title" | "ag.biz.title" | "ag.reinstate.title" | "imp.title",
): Child {
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
        [t("ag.secret.purpose"), t(issued.purpose === "recovery" ? "ag.secret.purpose.recovery" : "ag.secret.purpose.activation")],
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

export function businessRegisterPage(ctx: Ctx): Child {
  if (!isOfficer()) return officersOnly("ag.register.title");
  const form = new Form("business-register", {
    submit: t("ag.register.submit"),
    onSubmit: async (f) => {
      const number = f.value("business_number").replace(/[\s-]/g, "");
      const entry = await api<RegisterEntry>("PUT", `/agency/business-register/${encodeURIComponent(number)}`, {
        body: { legal_name: f.value("legal_name"), mailing_address: f.value("mailing_address") },
      });
      setFlash({ key: "ag.register.saved", values: { number: entry.business_number } });
      ctx.rerender();
    },
  });
  form.add(
    form.text("business_number", t("field.business_number"), {
      hint: t("field.business_number.hint"),
      inputmode: "numeric",
      width: "short",
      spellcheck: false,
    }),
    form.text("legal_name", t("field.legal_name")),
    form.textarea("mailing_address", t("field.mailing_address"), { hint: t("field.mailing_address.hint"), rows: 5 }),
  );
  return [h("h1", null, t("ag.register.title")), h("p", { class: "lead" }, t("ag.register.intro")), form.el];
}

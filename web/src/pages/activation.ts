// Getting a business account: TTP registration, a new activation code, activation.

import { api, ApiError } from "../api";
import { backLink, navigate, setFlash, type Ctx } from "../app";
import { h, type Child } from "../dom";
import { Form } from "../forms";
import { has, t, type Key } from "../i18n";
import { notice, programChoices } from "./common";

export function registerPage(ctx: Ctx): Child {
  // The answer is the same whatever the Business Number: the Client Number travels by mail.
  if (ctx.state.done) {
    return [
      h("h1", null, t("reg.done.title")),
      h("p", { class: "lead", id: "registration-received" }, t("reg.done.body")),
      h("p", null, t("reg.done.next")),
      h("p", null, h("a", { href: "/activate?program=ttp" }, t("dash.activate"))),
      backLink(),
    ];
  }
  const form = new Form("register", {
    submit: t("reg.submit"),
    onSubmit: async (f) => {
      ctx.state.done = await api<{ status: string }>("POST", "/registrations", {
        idempotencyKey: f.idempotencyKey(),
        body: {
          program: "ttp",
          business_number: f.value("business_number"),
          legal_name: f.value("legal_name"),
          mailing_address: f.value("mailing_address"),
        },
      });
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
    form.text("legal_name", t("field.legal_name"), { autocomplete: "organization" }),
    form.textarea("mailing_address", t("field.mailing_address"), { hint: t("field.mailing_address.hint"), rows: 5 }),
  );
  return [h("h1", null, t("reg.title")), h("p", { class: "lead" }, t("reg.intro")), form.el, backLink()];
}

export function requestCodePage(ctx: Ctx): Child {
  const form = new Form("request-code", {
    submit: t("code.submit"),
    onSubmit: async (f) => {
      await api("POST", "/activation-code-requests", {
        body: { program: f.value("program") || null, business_identifier: f.value("business_identifier") },
      });
      setFlash({ key: "code.done" });
      ctx.rerender();
    },
  });
  form.add(
    ...identifierFields(form, ctx),
  );
  return [h("h1", null, t("code.title")), h("p", { class: "lead" }, t("code.intro")), form.el, backLink()];
}

/** What each program's identifier looks like (an HTML `pattern`: a hint to the browser; the
 *  API checks it and names the field when it is wrong). */
const IDENTIFIER_PATTERN: Record<string, string> = {
  ttp: "[Pp][0-9]{8}",
  emanifest: "[A-Za-z0-9]{4}",
  cers: "[0-9]{9} ?[Rr][Mm] ?[0-9]{4}",
};

/** The identifier field's label and hint for a program: Client Number, carrier code, or
 *  Business Number; the three formats only while no program is chosen. */
function identifierWords(program: string): { label: string; hint: string } {
  const label = `field.identifier.${program}`;
  const hint = `idkind.${program}`;
  return has(label) && has(hint)
    ? { label: t(label as Key), hint: t(hint as Key) }
    : { label: t("field.business_identifier"), hint: t("field.business_identifier.hint") };
}

/** The program and the business identifier, prefilled from `?program=&id=` (both forms ask
 *  them); the identifier's label, hint and pattern follow the program chosen. */
function identifierFields(form: Form, ctx: Ctx) {
  const chosen = () => (ctx.state.program as string | undefined) ?? ctx.query.get("program") ?? "";
  const words = identifierWords(chosen());
  const select = form.select("program", t("field.program"), programChoices(), {
    placeholder: t("field.program.choose"),
    value: chosen(),
  });
  const input = form.text("business_identifier", words.label, {
    hint: words.hint,
    value: ctx.query.get("id") ?? "",
    width: "medium",
    spellcheck: false,
  });
  const follow = (program: string) => {
    const next = identifierWords(program);
    input.setAttribute("label", next.label);
    input.setAttribute("hint", next.hint);
    if (IDENTIFIER_PATTERN[program]) input.setAttribute("pattern", IDENTIFIER_PATTERN[program]);
    else input.removeAttribute("pattern");
  };
  follow(chosen());
  select.addEventListener("gcdsChange", () => {
    ctx.state.program = form.value("program");
    follow(form.value("program"));
  });
  return [select, input];
}

export function activatePage(ctx: Ctx): Child {
  const form = new Form("activate", {
    submit: t("act.submit"),
    // A wrong pair is about the secret typed: the message (with the tries left) goes by it.
    statusFields: { 403: "shared_secret", 423: "shared_secret" },
    onSubmit: async (f) => {
      locked.replaceChildren();
      try {
        const answer = await api<{ business_id: string }>("POST", "/businesses", {
          idempotencyKey: f.idempotencyKey(),
          body: {
            program: f.value("program") || null,
            business_identifier: f.value("business_identifier"),
            shared_secret: f.value("shared_secret"),
            owner_contact: {
              position_title: f.value("owner_contact.position_title"),
              address: f.value("owner_contact.address"),
              phone: f.value("owner_contact.phone"),
              email: f.value("owner_contact.email"),
            },
          },
        });
        navigate(`/business/${answer.business_id}`, { flash: { key: "act.done" } });
      } catch (error) {
        // Locked out of this identifier: the way out is a new code, one click away.
        if (error instanceof ApiError && error.status === 423) {
          const query = new URLSearchParams({ program: f.value("program"), id: f.value("business_identifier") });
          locked.replaceChildren(
            notice(
              "warning",
              h("p", null, t("act.locked.intro")),
              h("p", null, h("a", { href: `/request-code?${query}`, id: "locked-request-code" }, t("act.locked.link"))),
            ),
          );
        }
        throw error;
      }
    },
  });
  const locked = h("div", { id: "locked", "aria-live": "polite" });
  form.add(
    ...identifierFields(form, ctx),
    form.text("shared_secret", t("field.shared_secret"), {
      hint: t("field.shared_secret.hint"),
      width: "medium",
      spellcheck: false,
    }),
    form.group(
      t("act.contact"),
      form.text("owner_contact.position_title", t("field.position_title"), { autocomplete: "organization-title" }),
      form.textarea("owner_contact.address", t("field.address"), { hint: t("field.mailing_address.hint"), rows: 4 }),
      form.text("owner_contact.phone", t("field.phone"), {
        type: "tel",
        autocomplete: "tel",
        hint: t("field.phone.hint"),
        width: "medium",
      }),
      form.text("owner_contact.email", t("field.email"), { type: "email", autocomplete: "email", spellcheck: false }),
    ),
  );
  return [h("h1", null, t("act.title")), h("p", { class: "lead" }, t("act.intro")), locked, form.el, backLink()];
}

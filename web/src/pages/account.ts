// The user account: create it (and show the URN), read it, change it.

import { api, programs, type User } from "../api";
import { currentUser, navigate, setCurrentUser, setFlash, type Ctx } from "../app";
import { h, type Child } from "../dom";
import { Form } from "../forms";
import { lang, setLang, t } from "../i18n";
import { details, languageChoices } from "./common";

export async function newAccountPage(ctx: Ctx): Promise<Child> {
  const created = ctx.state.created as User | undefined;
  if (created) {
    return [
      h("h1", null, t("account.created.title")),
      h(
        "div",
        { class: "panel confirmation" },
        h("p", { class: "panel-label" }, t("account.created.urn")),
        h("p", { class: "urn", id: "urn" }, created.urn),
      ),
      h("p", null, t("account.created.body", { email: created.email })),
      h("p", null, h("a", { href: "/dashboard", class: "button primary" }, t("account.continue"))),
    ];
  }
  if (await currentUser()) {
    navigate("/account", { replace: true });
    return null;
  }
  const { portal_terms_version: version } = await programs();
  const form = new Form("new-account", {
    submit: t("account.new.submit"),
    fieldMessages: { terms_version: "field.terms.required" },
    onSubmit: async (f) => {
      const user = await api<User>("POST", "/users", {
        idempotencyKey: f.idempotencyKey(),
        body: {
          name: f.value("name"),
          email: f.value("email"),
          phone: f.value("phone"),
          language: f.radio("language"),
          // Unticked: sent as missing, and the API's "is required" shows by the box.
          terms_version: f.checked("terms_version") ? version : null,
        },
      });
      setCurrentUser(user);
      ctx.state.created = user;
      setLang(user.language); // the portal now speaks the account's language
      ctx.rerender();
    },
  });
  form.add(
    form.text("name", t("field.name"), { autocomplete: "name" }),
    form.text("email", t("field.email"), { type: "email", autocomplete: "email", spellcheck: false }),
    form.text("phone", t("field.phone"), { type: "tel", autocomplete: "tel", hint: t("field.phone.hint"), width: "medium" }),
    form.radios("language", t("field.language"), languageChoices(), { value: lang(), inline: true }),
    form.checkbox("terms_version", t("field.terms", { version }), { short: t("field.terms.short") }),
  );
  return [h("h1", null, t("account.new.title")), h("p", { class: "lead" }, t("account.new.intro")), form.el];
}

export async function accountPage(ctx: Ctx): Promise<Child> {
  const user = (await currentUser())!;
  const form = new Form("account", {
    submit: t("account.save"),
    onSubmit: async (f) => {
      const changed = await api<User>("PATCH", "/users/me", {
        body: {
          name: f.value("name"),
          email: f.value("email"),
          phone: f.value("phone"),
          language: f.radio("language"),
        },
      });
      setCurrentUser(changed);
      setFlash({ key: "account.saved" });
      if (changed.language !== user.language) setLang(changed.language);
      ctx.rerender();
    },
  });
  form.add(
    form.text("name", t("field.name"), { value: user.name, autocomplete: "name" }),
    form.text("email", t("field.email"), { value: user.email, type: "email", autocomplete: "email", spellcheck: false }),
    form.text("phone", t("field.phone"), { value: user.phone, type: "tel", autocomplete: "tel", hint: t("field.phone.hint"), width: "medium" }),
    form.radios("language", t("field.language"), languageChoices(), { value: user.language, inline: true }),
  );
  return [
    h("h1", null, t("account.title")),
    h("h2", null, t("account.details")),
    details([
      [t("field.urn"), h("span", { class: "urn-inline", id: "urn" }, user.urn)],
      [t("field.name"), user.name],
      [t("field.email"), user.email],
      [t("field.phone"), user.phone],
      [t("field.language"), t(user.language === "fr" ? "lang.fr" : "lang.en")],
    ]),
    h("h2", null, t("account.edit")),
    form.el,
  ];
}

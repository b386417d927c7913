// The user account: create it (and show the URN), read it, change it, move it to another
// sign-in credential (a one-time code from the old credential, claimed by the new one).

import { api, programs, type User } from "../api";
import { currentUser, navigate, setCurrentUser, setFlash, type Ctx } from "../app";
import { h, type Child } from "../dom";
import { Form } from "../forms";
import { formatDate, lang, setLang, t } from "../i18n";
import { details, languageChoices, notice, phoneText, shownOnce, termsLink, undeliverableNotice } from "./common";

export async function newAccountPage(ctx: Ctx): Promise<Child> {
  const created = ctx.state.created as User | undefined;
  if (created) {
    return [
      h("h1", null, t("account.created.title")),
      shownOnce(t("account.created.urn"), { id: "urn", kind: "urn", text: created.urn }),
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
    h("p", { class: "terms-beside" }, termsLink(version)),
    form.checkbox("terms_version", t("field.terms", { version }), { short: t("field.terms.short") }),
  );
  return [
    h("h1", null, t("account.new.title")),
    h("p", { class: "lead" }, t("account.new.intro")),
    h("p", null, h("a", { href: "/account/claim", id: "claim-link" }, t("account.new.claim"))),
    form.el,
  ];
}

export async function accountPage(ctx: Ctx): Promise<Child> {
  const user = (await currentUser())!;
  const form = new Form("account", {
    submit: t("account.save"),
    onSubmit: async (f) => {
      // The address the account has is left out: sending it would cancel a change waiting
      // for its code.
      const email = f.value("email").trim();
      const changed = await api<User>("PATCH", "/users/me", {
        body: {
          name: f.value("name"),
          email: email.toLowerCase() === user.email.toLowerCase() ? null : email,
          phone: f.value("phone"),
          language: f.radio("language"),
        },
      });
      // The PATCH answer has no email_status: the address (still `email`) keeps the one read.
      setCurrentUser({ ...user, ...changed });
      const sentTo = email.toLowerCase() === user.email.toLowerCase() ? null : changed.pending_email;
      setFlash(sentTo ? { key: "account.emailSent", values: { email: sentTo } } : { key: "account.saved" });
      if (changed.language !== user.language) setLang(changed.language);
      ctx.rerender();
    },
  });
  form.add(
    form.text("name", t("field.name"), { value: user.name, autocomplete: "name" }),
    form.text("email", t("field.email"), {
      value: user.email,
      type: "email",
      autocomplete: "email",
      spellcheck: false,
      hint: t("account.email.hint"),
    }),
    form.text("phone", t("field.phone"), { value: phoneText(user.phone), type: "tel", autocomplete: "tel", hint: t("field.phone.hint"), width: "medium" }),
    form.radios("language", t("field.language"), languageChoices(), { value: user.language, inline: true }),
  );
  return [
    h("h1", null, t("account.title")),
    undeliverableNotice(user),
    h("h2", null, t("account.details")),
    details([
      [t("field.urn"), h("span", { class: "urn-inline", id: "urn" }, user.urn)],
      [t("field.name"), user.name],
      [t("field.email"), user.email],
      ...(user.pending_email
        ? [[t("account.pendingEmail"), h("span", { id: "pending-email" }, user.pending_email)] as [string, Child]]
        : []),
      [t("field.phone"), phoneText(user.phone)],
      [t("field.language"), t(user.language === "fr" ? "lang.fr" : "lang.en")],
      [t("account.terms"), h("span", { id: "terms-accepted" }, termsLink(user.terms_version))],
    ]),
    user.pending_email ? confirmEmail(ctx, user, user.pending_email) : null,
    h("h2", null, t("account.edit")),
    form.el,
    h("h2", null, t("account.move")),
    h("p", null, t("account.move.hint")),
    h("p", null, h("a", { href: "/account/move" }, t("account.move"))),
  ];
}

/** `POST /users/me/email-confirmation`: the code sent to the new address makes it the account's. */
function confirmEmail(ctx: Ctx, user: User, pending: string): Child {
  const form = new Form("confirm-email", {
    submit: t("account.confirm.submit"),
    onSubmit: async (f) => {
      try {
        const confirmed = await api<User>("POST", "/users/me/email-confirmation", {
          body: { code: f.value("code").trim() },
        });
        setCurrentUser(confirmed);
        setFlash({ key: "account.emailConfirmed", values: { email: confirmed.email } });
        ctx.rerender();
      } catch (error) {
        // A last wrong code or a late one cancels the change: the details must say so too.
        const fresh = await api<User>("GET", "/users/me").catch(() => null);
        if (fresh) setCurrentUser(fresh);
        throw error;
      }
    },
  });
  form.add(
    form.text("code", t("field.email_code"), {
      hint: t("field.email_code.hint"),
      width: "short",
      inputmode: "numeric",
      autocomplete: "one-time-code",
      spellcheck: false,
    }),
  );
  return [
    h("h2", null, t("account.confirm.title")),
    notice("info", h("p", { id: "email-code-sent" }, t("account.confirm.intro", { email: pending, current: user.email }))),
    form.el,
  ];
}

/** The steps of a move, from where the person is (`from`: the step they are at). */
function moveSteps(from: 0 | 1): HTMLElement {
  const steps = (["move.step.code", "move.step.signIn", "move.step.claim"] as const).slice(from);
  return h("ol", null, steps.map((key) => h("li", null, t(key))));
}

/** `POST /users/me/credential-transfers`: a one-time code for another credential, shown once. */
export async function movePage(ctx: Ctx): Promise<Child> {
  const user = (await currentUser())!;
  const issued = ctx.state.issued as { transfer_code: string; expires_at: string } | undefined;
  if (issued) {
    return [
      h("h1", null, t("move.code.title")),
      shownOnce(
        t("move.code.label"),
        { id: "transfer-code", kind: "secret", text: issued.transfer_code },
        { id: "transfer-expires", text: t("move.code.expires", { time: formatDate(issued.expires_at, true) }) },
      ),
      h("p", null, t("move.code.replace")),
      h("h2", null, t("move.next")),
      moveSteps(1),
      h("p", null, h("a", { href: "/account" }, t("move.back"))),
    ];
  }
  const form = new Form("move-account", {
    submit: t("move.submit"),
    onSubmit: async () => {
      // Kept in this visit's state only: a language switch shows it again, a reload or
      // another page never does.
      ctx.state.issued = await api<{ transfer_code: string; expires_at: string }>("POST", "/users/me/credential-transfers");
      ctx.rerender();
    },
  });
  return [
    h("h1", null, t("move.title")),
    h("p", { class: "lead" }, t("move.intro", { urn: user.urn })),
    h("h2", null, t("move.how")),
    moveSteps(0),
    form.el,
    h("p", null, h("a", { href: "/account" }, t("move.back"))),
  ];
}

/** `POST /credential-transfers/claim`: a sign-in without a user account takes one over. */
export async function claimPage(): Promise<Child> {
  const user = await currentUser();
  if (user) {
    return [
      h("h1", null, t("claim.title")),
      notice("info", h("p", null, t("claim.hasAccount", { urn: user.urn }))),
      h("p", null, h("a", { href: "/account" }, t("nav.account"))),
    ];
  }
  const form = new Form("claim", {
    submit: t("claim.submit"),
    // "No such transfer code" (404) and "expired", "replaced", "no longer valid" (410) are about the code.
    statusFields: { 404: "transfer_code", 410: "transfer_code" },
    onSubmit: async (f) => {
      const claimed = await api<User>("POST", "/credential-transfers/claim", {
        body: { transfer_code: f.value("transfer_code").trim() },
      });
      setCurrentUser(claimed);
      setLang(claimed.language); // the portal now speaks the account's language
      navigate("/dashboard", { flash: { key: "claim.done", values: { urn: claimed.urn } } });
    },
  });
  form.add(
    form.text("transfer_code", t("field.transfer_code"), {
      hint: t("field.transfer_code.hint"),
      width: "medium",
      spellcheck: false,
    }),
  );
  return [
    h("h1", null, t("claim.title")),
    h("p", { class: "lead" }, t("claim.intro")),
    h("p", null, t("claim.noCode")),
    form.el,
    h("p", null, h("a", { href: "/account/new" }, t("claim.create"))),
  ];
}

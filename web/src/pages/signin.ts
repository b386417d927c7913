// Sign in: locally a provider and a name (token from POST /_local/token); deployed, the
// OpenID Connect redirect to the credential provider (session.ts).

import { api } from "../api";
import { currentUser, navigate, signedIn, type Ctx } from "../app";
import { h, type Child } from "../dom";
import { Form } from "../forms";
import { t } from "../i18n";
import {
  authConfig,
  startSession,
  oidcCallback,
  oidcSignIn,
  signInAgain,
  takeEndedNotice,
  takeReturnTo,
  type Idp,
  type Session,
} from "../session";
import { notice } from "./common";

/** The local stack issues the token itself (session.ts never calls the API: api.ts reads the
 *  session, so the two modules do not import each other). */
async function localSignIn(idp: Idp, name: string, officer: boolean): Promise<Session> {
  const answer = await api<{ access_token: string }>("POST", "/_local/token", {
    auth: false,
    body: { sub: name, idp, roles: officer ? ["agency-officer"] : [] },
  });
  return startSession(answer.access_token);
}

export function signInPage(ctx: Ctx): Child {
  // Said once, and still said when the page is drawn again in the other language.
  if (ctx.state.ended === undefined) ctx.state.ended = takeEndedNotice();
  const again = signInAgain();
  const ended = again
    ? notice("warning", h("p", null, t(again.acrValues ? "signin.againMfa" : "signin.againRecent")))
    : ctx.state.ended
      ? notice("warning", h("p", null, t("signin.expired")))
      : null;
  const config = authConfig();
  if (config.mode === "oidc") {
    const go = (idp: Idp) => () => void oidcSignIn(idp, "/");
    return [
      h("h1", null, t("signin.title")),
      ended,
      h("p", { class: "lead" }, t("signin.intro")),
      h(
        "div",
        { class: "button-row" },
        h("button", { type: "button", class: "button primary", onclick: go("gckey") }, t("signin.withGckey")),
        h("button", { type: "button", class: "button secondary", onclick: go("sign-in-partner") }, t("signin.withSip")),
      ),
    ];
  }

  const form = new Form("signin", {
    submit: t("signin.submit"),
    onSubmit: async (f) => {
      const name = f.value("sub").trim();
      if (!name) {
        f.fail([{ field: "sub", key: "signin.username.required" }]);
        return;
      }
      const idp = (f.radio("idp") ?? "gckey") as Idp;
      const officer = f.checked("officer");
      const s = await localSignIn(idp, name, officer);
      signedIn();
      const user = await currentUser();
      const back = takeReturnTo();
      if (back) navigate(back);
      else if (user) navigate("/dashboard");
      else if (s.roles.includes("agency-officer")) navigate("/officer/secrets");
      else navigate("/account/new");
    },
  });
  form.add(
    form.radios(
      "idp",
      t("signin.provider"),
      [
        ["gckey", t("signin.gckey")],
        ["sign-in-partner", t("signin.sip")],
      ],
      { value: "gckey" },
    ),
    form.text("sub", t("signin.username"), { hint: t("signin.username.hint"), autocomplete: "username", width: "medium", spellcheck: false }),
    form.checkbox("officer", t("signin.agency")),
  );
  return [
    h("h1", null, t("signin.title")),
    ended,
    h("p", { class: "lead" }, t("signin.intro")),
    notice("info", h("p", null, t("signin.local"))),
    form.el,
  ];
}

/** /auth/callback: the credential provider sent the browser back with a code. */
export async function callbackPage(): Promise<Child> {
  try {
    const next = await oidcCallback(location.search);
    signedIn();
    await currentUser();
    navigate(next, { replace: true });
    return h("p", null, t("site.loading"));
  } catch {
    return [
      h("h1", null, t("signin.title")),
      notice("error", h("p", null, t("signin.callbackFailed"))),
      h("p", null, h("a", { href: "/sign-in" }, t("signin.title"))),
    ];
  }
}

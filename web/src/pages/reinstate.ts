// Agency officers: reinstate a user account retired after two years without use.

import { api } from "../api";
import { setFlash, type Ctx } from "../app";
import { h, type Child } from "../dom";
import { Form } from "../forms";
import { t } from "../i18n";
import { isOfficer } from "../session";
import { officersOnly } from "./agency";

export function reinstatePage(ctx: Ctx): Child {
  if (!isOfficer()) return officersOnly("ag.reinstate.title");
  const form = new Form("reinstate-user", {
    submit: t("ag.reinstate.submit"),
    onSubmit: async (f) => {
      const urn = f.value("urn").replace(/[\s-]/g, "");
      const answer = await api<{ urn: string }>("POST", `/agency/users/${encodeURIComponent(urn)}/reinstate`);
      setFlash({ key: "ag.reinstate.done", values: { urn: answer.urn } });
      ctx.rerender();
    },
  });
  form.add(
    form.text("urn", t("ag.reinstate.urn"), { inputmode: "numeric", width: "short", spellcheck: false }),
  );
  return [h("h1", null, t("ag.reinstate.title")), h("p", { class: "lead" }, t("ag.reinstate.intro")), form.el];
}

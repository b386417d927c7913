// Agency officers: the letter queue, one status at a time (in review, to mail, mailed,
// withdrawn), a page at a time. Letters in review are approved or rejected; pending ones are
// marked mailed once in the post. Every action, and every read of pending codes, is in the
// agency audit.

import { api, type LetterStatus, type Letter, type LettersPage } from "../api";
import { setFlash, type Ctx } from "../app";
import { h, type Child } from "../dom";
import { Form } from "../forms";
import { formatDate, t, type Key } from "../i18n";
import { isOfficer } from "../session";
import { officersOnly } from "./agency";
import { cursorPager, lines, programName } from "./common";

const STATUSES: LetterStatus[] = ["review", "pending", "mailed", "withdrawn"];

function statusOf(ctx: Ctx): LetterStatus {
  const asked = ctx.query.get("status") as LetterStatus | null;
  return asked && STATUSES.includes(asked) ? asked : "pending";
}

function tabs(current: LetterStatus): HTMLElement {
  return h(
    "nav",
    { class: "tabs", "aria-label": t("ag.letters.tabs") },
    h(
      "ul",
      null,
      STATUSES.map((s) =>
        h(
          "li",
          null,
          h(
            "a",
            { href: `/officer/letters?status=${s}`, id: `letters-${s}`, "aria-current": s === current ? "page" : null },
            t(`ag.letters.status.${s}` as Key),
          ),
        ),
      ),
    ),
  );
}

function markMailed(ctx: Ctx, l: Letter): HTMLElement {
  return new Form(`mail-${l.letter_id}`, {
    submit: t("ag.letters.mark"),
    buttonClass: "button secondary small",
    buttonHidden: t("ag.letters.mark.label", { name: l.legal_name }),
    compact: true,
    onSubmit: async () => {
      await api("POST", `/agency/letters/${encodeURIComponent(l.letter_id)}/mailed`);
      setFlash({ key: "ag.letters.marked", values: { name: l.legal_name } });
      ctx.rerender();
    },
  }).el;
}

function decide(ctx: Ctx, l: Letter): Child[] {
  const id = encodeURIComponent(l.letter_id);
  const approve = new Form(`approve-${l.letter_id}`, {
    submit: t("ag.letters.approve"),
    buttonClass: "button secondary small",
    buttonHidden: t("ag.letters.mark.label", { name: l.legal_name }),
    compact: true,
    onSubmit: async (f) => {
      const address = f.optional("mailing_address");
      await api("POST", `/agency/letters/${id}/approve`, { body: address ? { mailing_address: address } : {} });
      setFlash({ key: "ag.letters.approved", values: { name: l.legal_name } });
      ctx.rerender();
    },
  });
  approve.add(
    approve.textarea("mailing_address", t("ag.letters.approve.address"), {
      hint: t("ag.letters.approve.hint"),
      optional: true,
      rows: 3,
    }),
  );
  const reject = new Form(`reject-${l.letter_id}`, {
    submit: t("ag.letters.reject"),
    buttonClass: "button secondary small",
    buttonHidden: t("ag.letters.mark.label", { name: l.legal_name }),
    compact: true,
    onSubmit: async (f) => {
      await api("POST", `/agency/letters/${id}/reject`, { body: { reason: f.value("reason") } });
      setFlash({ key: "ag.letters.rejected", values: { name: l.legal_name } });
      ctx.rerender();
    },
  });
  reject.add(reject.text("reason", t("ag.letters.reason")));
  return [approve.el, reject.el];
}

function row(ctx: Ctx, l: Letter): HTMLElement {
  const action =
    l.status === "pending" ? markMailed(ctx, l) : l.status === "review" ? decide(ctx, l) : t(`ag.letters.status.${l.status}` as Key);
  return h(
    "tr",
    { "data-identifier": l.business_identifier, "data-business-number": l.business_number ?? "", "data-status": l.status },
    h(
      "th",
      { scope: "row" },
      l.legal_name,
      h("div", { class: "small" }, programName(l.program), " · ", l.business_identifier),
      l.business_number ? h("div", { class: "small" }, t("ag.letters.bn", { number: l.business_number })) : null,
      l.registered_by ? h("div", { class: "small" }, t("ag.letters.by", { urn: l.registered_by })) : null,
    ),
    h("td", null, lines(l.mailing_address)),
    h("td", { class: "mono secret-cell" }, l.shared_secret ?? "—"),
    h("td", { class: "nowrap" }, formatDate(l.created_at)),
    h("td", null, t(l.language === "fr" ? "lang.fr" : "lang.en")),
    h("td", null, action),
  );
}

export async function lettersPage(ctx: Ctx): Promise<Child> {
  if (!isOfficer()) return officersOnly("ag.letters.title");
  const status = statusOf(ctx);
  // cursors[i] opens page i + 1 ("" for the first).
  const cursors = (ctx.state.cursors as string[] | undefined) ?? [""];
  ctx.state.cursors = cursors;
  const page = cursors.length;
  const query = new URLSearchParams({ status });
  if (cursors[page - 1]) query.set("cursor", cursors[page - 1]!);
  const result = await api<LettersPage>("GET", `/agency/letters?${query}`);
  const top = [h("h1", null, t("ag.letters.title")), tabs(status), h("p", { class: "lead" }, t(`ag.letters.intro.${status}` as Key))];
  const table = result.letters.length
    ? h(
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
            h("th", { scope: "col" }, t("ag.letters.col.created")),
            h("th", { scope: "col" }, t("ag.letters.col.language")),
            h("th", { scope: "col" }, t("ag.letters.col.action")),
          ),
        ),
        h("tbody", null, result.letters.map((l) => row(ctx, l))),
      )
    : h("p", { class: "empty" }, t("ag.letters.empty"));
  const pager = cursorPager("letters", cursors, result.next_cursor, (to) => {
    ctx.state.cursors = to;
    ctx.rerender();
  });
  return [...top, table, pager];
}

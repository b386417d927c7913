// Agency officers: the letter queue, one status at a time (in review, to mail, mailed,
// withdrawn), a page at a time, or every letter of one Client Number / Business Number (the
// filter form; its choices are in the address, so a reload shows the same). Letters in review
// are approved or rejected; pending ones are printed (a bilingual PDF per letter or for the
// page) and marked mailed once in the post. Codes stay masked until the officer shows one.
// Every action, and every read of pending codes, is in the agency audit.

import { api, type LetterStatus, type Letter, type LettersPage } from "../api";
import { navigate, setFlash, type Ctx } from "../app";
import { h, type Child } from "../dom";
import { Form } from "../forms";
import { formatDate, t, type Key } from "../i18n";
import { isOfficer } from "../session";
import { officersOnly } from "./agency";
import { cursorPager, lines, notice, programName } from "./common";

const STATUSES: LetterStatus[] = ["review", "pending", "mailed", "withdrawn"];

/** The status asked for: "any" only with a search. */
type Shown = LetterStatus | "any";

function statusOf(ctx: Ctx): Shown {
  const asked = ctx.query.get("status");
  if (asked === "any") return "any";
  return asked && STATUSES.includes(asked as LetterStatus) ? (asked as LetterStatus) : "pending";
}

/** What the API is asked for a typed identifier, by its shape: a Client Number, a Business
 *  Number (the Client Number registered with it), a carrier code, a CERS account number. */
export function searchQuery(typed: string): Record<string, string> | null {
  const text = typed.replace(/[\s-]/g, "").toUpperCase();
  if (/^P\d{8}$/.test(text)) return { program: "ttp", identifier: text };
  if (/^\d{9}$/.test(text)) return { business_number: text };
  if (/^\d{9}RM\d{4}$/.test(text)) return { program: "cers", identifier: text };
  if (/^[A-Z0-9]{4}$/.test(text)) return { program: "emanifest", identifier: text };
  return null;
}

function filter(status: Shown, search: string): HTMLElement {
  const form = new Form("letters-filter", {
    submit: t("ag.letters.filter.submit"),
    buttonClass: "button secondary",
    onSubmit: async (f) => {
      const typed = f.value("search").trim();
      const chosen = f.value("status");
      if (typed && !searchQuery(typed)) return f.fail([{ field: "search", key: "ag.letters.filter.searchBad" }]);
      if (!typed && chosen === "any") return f.fail([{ field: "status", key: "ag.letters.filter.anyNeedsSearch" }]);
      const query = new URLSearchParams({ status: chosen });
      if (typed) query.set("search", typed);
      navigate(`/officer/letters?${query}`);
    },
  });
  form.add(
    form.select(
      "status",
      t("ag.letters.filter.status"),
      [...STATUSES.map((s): [string, string] => [s, t(`ag.letters.status.${s}` as Key)]), ["any", t("ag.letters.filter.any")]],
      { value: status },
    ),
    form.text("search", t("ag.letters.filter.search"), {
      hint: t("ag.letters.filter.search.hint"),
      value: search,
      optional: true,
      width: "medium",
      spellcheck: false,
    }),
  );
  return h(
    "section",
    { class: "letters-filter", "aria-labelledby": "letters-filter-heading" },
    h("h2", { id: "letters-filter-heading" }, t("ag.letters.filter")),
    form.el,
    search ? h("p", null, h("a", { href: `/officer/letters?status=${status === "any" ? "pending" : status}`, id: "letters-clear" }, t("ag.letters.filter.clear"))) : null,
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

/** A code, masked until the officer shows it (it is still in the PDF in full). */
function code(l: Letter, secret: string): HTMLElement {
  const id = `code-${l.letter_id}`;
  const value = h("span", { class: "mono code-value", id, "data-shown": "false" }, t("ag.letters.code.hidden"));
  const label = h("span", null, t("ag.letters.code.show"));
  const toggle = h(
    "button",
    {
      type: "button",
      class: "button secondary small code-toggle",
      "aria-controls": id,
      "aria-pressed": "false",
      onclick: () => {
        const shown = value.getAttribute("data-shown") !== "true";
        value.textContent = shown ? secret : t("ag.letters.code.hidden");
        value.setAttribute("data-shown", String(shown));
        toggle.setAttribute("aria-pressed", String(shown));
        label.textContent = t(shown ? "ag.letters.code.hide" : "ag.letters.code.show");
      },
    },
    label,
    h("span", { class: "visually-hidden" }, t("ag.letters.code.label", { name: l.legal_name })),
  );
  return h("div", { class: "code" }, value, " ", toggle);
}

/** Downloads the letters as one PDF (a page each). */
async function printLetters(letters: Letter[], filename: string): Promise<void> {
  const { lettersPdf, download } = await import("../letter-pdf");
  download(await lettersPdf(letters), filename);
}

function pdfButton(l: Letter): HTMLElement {
  return h(
    "button",
    {
      type: "button",
      class: "button secondary small letter-pdf",
      onclick: () => void printLetters([l], `letter-${l.business_identifier}.pdf`),
    },
    t("ag.letters.pdf"),
    h("span", { class: "visually-hidden" }, t("ag.letters.pdf.label", { name: l.legal_name })),
  );
}

/** The page's letters ready to print: one PDF of them all, then all marked mailed. */
function batch(ctx: Ctx, ready: Letter[]): HTMLElement | null {
  if (!ready.length) return null;
  const mark = new Form("letters-batch", {
    submit: t("ag.letters.batch.mark"),
    buttonClass: "button secondary",
    compact: true,
    onSubmit: async () => {
      for (const l of ready) await api("POST", `/agency/letters/${encodeURIComponent(l.letter_id)}/mailed`);
      setFlash({ key: "ag.letters.batch.marked", values: { n: String(ready.length) } });
      ctx.rerender();
    },
  });
  return h(
    "div",
    { class: "panel letters-batch", id: "letters-batch" },
    h("p", null, t("ag.letters.batch", { n: ready.length })),
    h("p", { class: "small" }, t("ag.letters.batch.hint")),
    h(
      "div",
      { class: "button-row" },
      h(
        "button",
        { type: "button", class: "button primary", id: "letters-batch-pdf", onclick: () => void printLetters(ready, "letters.pdf") },
        t("ag.letters.batch.pdf"),
      ),
      mark.el,
    ),
  );
}

function row(ctx: Ctx, l: Letter): HTMLElement {
  const action =
    l.status === "pending"
      ? [l.shared_secret ? pdfButton(l) : null, markMailed(ctx, l)]
      : l.status === "review"
        ? decide(ctx, l)
        : t(`ag.letters.status.${l.status}` as Key);
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
    h("td", { class: "secret-cell" }, l.shared_secret ? code(l, l.shared_secret) : "—"),
    h("td", { class: "nowrap" }, formatDate(l.created_at)),
    h("td", null, t(l.language === "fr" ? "lang.fr" : "lang.en")),
    h("td", null, action),
  );
}

export async function lettersPage(ctx: Ctx): Promise<Child> {
  if (!isOfficer()) return officersOnly("ag.letters.title");
  const status = statusOf(ctx);
  const search = ctx.query.get("search")?.trim() ?? "";
  const found = search ? searchQuery(search) : null;
  const top = [h("h1", null, t("ag.letters.title")), filter(status, search)];
  if (search && !found) return [...top, notice("warning", h("p", null, t("ag.letters.filter.searchBad")))];
  if (!search && status === "any") return [...top, notice("info", h("p", null, t("ag.letters.filter.anyNeedsSearch")))];
  // cursors[i] opens page i + 1 ("" for the first); a search comes in one answer.
  const cursors = (ctx.state.cursors as string[] | undefined) ?? [""];
  ctx.state.cursors = cursors;
  const query = new URLSearchParams(found ?? { status });
  if (found && status !== "any") query.set("status", status);
  if (!found && cursors[cursors.length - 1]) query.set("cursor", cursors[cursors.length - 1]!);
  const result = await api<LettersPage>("GET", `/agency/letters?${query}`);
  const lead = found
    ? t(result.letters.length ? "ag.letters.found" : "ag.letters.found.none", { identifier: search.toUpperCase() })
    : t(`ag.letters.intro.${status as LetterStatus}` as Key);
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
    : found
      ? null
      : h("p", { class: "empty" }, t("ag.letters.empty"));
  const ready = result.letters.filter((l) => l.status === "pending" && l.shared_secret);
  const pager = found
    ? null
    : cursorPager("letters", cursors, result.next_cursor, (to) => {
        ctx.state.cursors = to;
        ctx.rerender();
      });
  return [...top, h("p", { class: "lead", id: "letters-lead" }, lead), batch(ctx, ready), table, pager];
}

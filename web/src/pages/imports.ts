// Agency officers: import a CSV file of current members. The page reads the file, names the
// import by the file's SHA-256, sends its rows in steps of at most 24 (each step retry-safe:
// the API reports a line done before as skipped), shows a progress bar, then the report.
// Every cell the file had is shown as text, never as markup or a formula.

import { api, ApiError } from "../api";
import { type Ctx } from "../app";
import { h, type Child } from "../dom";
import { Form } from "../forms";
import { has, t, type Key } from "../i18n";
import { isOfficer } from "../session";
import { officersOnly } from "./agency";
import { notice, programName } from "./common";

/** Rows a step carries: the API's bound. */
const STEP_ROWS = 24;
/** Tries of one step when the API is busy or unavailable (409, 503) before the officer is told. */
const STEP_TRIES = 3;

interface ImportLine {
  line: number;
  outcome: "issued" | "refused";
  skipped: boolean;
  identifier: string;
  program?: string;
  legal_name?: string;
  purpose?: "activation" | "recovery";
  delivery?: "letter" | "email";
  letter_id?: string;
  reason?: string;
  first_line?: number;
}

interface Report {
  import_id: string;
  file_name: string;
  rows: number;
  lines: ImportLine[];
  next_after_line: number | null;
}

/** A row of the file as it stands in it: its text and the line it starts on. */
interface FileRow {
  text: string;
  line: number;
}

/** The file's records after its header: a line break inside quotes is a cell's, not a row's. */
export function records(text: string): { header: string; rows: FileRow[] } {
  const rows: FileRow[] = [];
  let quoted = false;
  let start = 0;
  let line = 1;
  let startLine = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (c === "\n" && !quoted) {
      rows.push({ text: text.slice(start, i + 1), line: startLine });
      start = i + 1;
      startLine = line + 1;
    }
    if (c === "\n") line++;
  }
  if (start < text.length) rows.push({ text: text.slice(start), line: startLine });
  const [header, ...rest] = rows;
  return {
    header: (header?.text ?? "").replace(/\r?\n$/, ""),
    rows: rest.filter((r) => r.text.trim() !== ""),
  };
}

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

async function sendStep(importId: string, rows: FileRow[]): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await api("POST", `/agency/imports/${importId}/rows`, {
        body: { first_line: rows[0]!.line, csv: rows.map((r) => r.text).join("") },
      });
      return;
    } catch (error) {
      const busy = error instanceof ApiError && (error.status === 409 || error.status === 503 || error.status === 0);
      if (!busy || attempt >= STEP_TRIES) throw error;
      await new Promise((resolve) => setTimeout(resolve, 1000 * attempt));
    }
  }
}

async function wholeReport(importId: string): Promise<Report> {
  let after = 0;
  let report: Report | null = null;
  const lines: ImportLine[] = [];
  for (;;) {
    const page = await api<Report>("GET", `/agency/imports/${importId}?after_line=${after}`);
    report ??= page;
    lines.push(...page.lines);
    if (page.next_after_line === null) return { ...report, lines, next_after_line: null };
    after = page.next_after_line;
  }
}

function reasonText(l: ImportLine): string {
  const key = `imp.reason.${l.reason}`;
  return has(key) ? t(key as Key, { line: l.first_line ?? "" }) : (l.reason ?? "");
}

function reportView(report: Report): Child {
  const issued = report.lines.filter((l) => l.outcome === "issued").length;
  const refused = report.lines.length - issued;
  return [
    h("h2", null, t("imp.report.title")),
    h("p", { id: "import-summary" }, t("imp.report.summary", { file: report.file_name, issued, refused, rows: report.rows })),
    h(
      "table",
      { class: "table", id: "import-report" },
      h("caption", null, t("imp.report.caption")),
      h(
        "thead",
        null,
        h(
          "tr",
          null,
          ["imp.col.line", "imp.col.outcome", "field.program", "imp.col.identifier", "imp.col.name", "imp.col.detail"].map((k) =>
            h("th", { scope: "col" }, t(k as Key)),
          ),
        ),
      ),
      h(
        "tbody",
        null,
        report.lines.map((l) =>
          h(
            "tr",
            { "data-line": String(l.line), "data-outcome": l.outcome },
            h("td", null, String(l.line)),
            h("td", null, t(l.outcome === "issued" ? "imp.outcome.issued" : "imp.outcome.refused")),
            h("td", null, l.program ? programName(l.program) : ""),
            h("td", { class: "mono" }, l.identifier),
            // Text nodes only: a name like "=cmd|..." is shown, never run.
            h("td", null, l.legal_name ?? ""),
            h(
              "td",
              null,
              l.outcome === "issued"
                ? [
                    t(l.delivery === "letter" ? "delivery.letter" : "delivery.email"),
                    l.purpose === "recovery" ? ` · ${t("ag.secret.purpose.recovery")}` : "",
                    l.letter_id ? h("div", { class: "small mono" }, l.letter_id) : null,
                  ]
                : reasonText(l),
            ),
          ),
        ),
      ),
    ),
  ];
}

export function importPage(ctx: Ctx): Child {
  if (!isOfficer()) return officersOnly("imp.title");
  const report = ctx.state.report as Report | undefined;
  const input = h("input", { type: "file", id: "import-file", name: "file", accept: ".csv,text/csv", class: "file-input" });
  const progress = h("progress", { id: "import-progress", max: "1", value: "0", hidden: true });
  const status = h("p", { id: "import-status", "aria-live": "polite" });
  const form = new Form("import-members", {
    submit: t("imp.submit"),
    onSubmit: async () => {
      const file = (input as HTMLInputElement).files?.[0];
      if (!file) throw new ApiError(422, undefined, [{ field: "file", message: "is required" }], undefined);
      const text = await file.text();
      const { header, rows } = records(text);
      const started = await api<{ import_id: string }>("POST", "/agency/imports", {
        body: { file_name: file.name, sha256: await sha256(text), rows: rows.length, header },
      });
      progress.hidden = false;
      progress.setAttribute("max", String(Math.max(rows.length, 1)));
      for (let i = 0; i < rows.length; i += STEP_ROWS) {
        await sendStep(started.import_id, rows.slice(i, i + STEP_ROWS));
        const done = Math.min(i + STEP_ROWS, rows.length);
        progress.setAttribute("value", String(done));
        status.textContent = t("imp.progress", { done, rows: rows.length });
      }
      ctx.state.report = await wholeReport(started.import_id);
      ctx.rerender();
    },
  });
  form.add(
    h("div", { class: "field" }, h("label", { for: "import-file", class: "label" }, t("imp.file")), h("p", { class: "hint" }, t("imp.file.hint")), input),
    progress,
    status,
  );
  return [
    h("h1", null, t("imp.title")),
    h("p", { class: "lead" }, t("imp.intro")),
    notice("info", h("p", null, t("imp.columns"))),
    form.el,
    report ? reportView(report) : null,
  ];
}

// Accessible forms: every control has a label, an optional hint and an error message linked by
// aria-describedby; a refused submit marks the named fields aria-invalid, fills an error summary
// at the top of the form (aria-live, focused, each line a link to its field) and keeps every
// value as typed. The API's problem responses arrive here through api.describe.

import { describe, newKey, type FieldProblem } from "./api";
import { h, replace, type Child } from "./dom";
import { t, type Key } from "./i18n";

interface Control {
  id: string;
  label: string;
  wrapper: HTMLElement;
  error: HTMLElement;
  /** The elements that carry aria-invalid / aria-describedby. */
  described: HTMLElement[];
  hintId: string | null;
  focus: () => void;
}

interface Snapshot {
  values: Record<string, string | boolean>;
  error: unknown;
  clientErrors: ClientProblem[] | null;
}

export interface ClientProblem {
  field: string;
  key: Key;
}

type FieldOptions = {
  hint?: string;
  value?: string;
  optional?: boolean;
  autocomplete?: string;
  type?: string;
  inputmode?: string;
  width?: "short" | "medium" | "long";
  spellcheck?: boolean;
};

/** Forms on the page now, so a re-render (language switch) can carry their state over. */
let live: Form[] = [];

export function liveForms(): Form[] {
  return live;
}

export function resetLiveForms(): void {
  live = [];
}

export class Form {
  readonly el: HTMLFormElement;
  private readonly controls = new Map<string, Control>();
  private readonly summary: HTMLElement;
  private readonly body: HTMLElement;
  private readonly button: HTMLElement;
  private key = newKey();
  private busy = false;
  private lastError: unknown = null;
  private clientErrors: ClientProblem[] | null = null;

  constructor(
    readonly id: string,
    private readonly options: {
      submit: string;
      onSubmit: (form: Form) => Promise<void>;
      /** API field names that land on another control: {"urn": "to_urn"}. */
      aliases?: Record<string, string>;
      /** A field whose every error reads as this message (a checkbox's "is required"). */
      fieldMessages?: Record<string, Key>;
      /** A problem without named fields that is about one field all the same: {404: "urn"}. */
      statusFields?: Record<number, string>;
      buttonClass?: string;
      /** Read after the button's text by screen readers only (e.g. which row it acts on). */
      buttonHidden?: string;
      compact?: boolean;
    },
  ) {
    this.summary = h("div", {
      class: "error-summary",
      id: `${id}-summary`,
      tabindex: "-1",
      "aria-live": "assertive",
      "aria-atomic": "true",
      hidden: true,
    });
    this.body = h("div", { class: "form-body" });
    // The GC Design System's button; `buttonClass` keeps the portal's names for its kinds
    // ("button primary", "button secondary small", "button warning").
    const kind = (options.buttonClass ?? "button primary").split(/\s+/);
    this.button = h(
      "gcds-button",
      {
        type: "submit",
        id: `${id}-submit`,
        class: "submit",
        "button-role": kind.includes("warning") ? "danger" : kind.includes("secondary") ? "secondary" : "primary",
        size: kind.includes("small") ? "small" : "regular",
      },
      options.submit,
      options.buttonHidden ? h("span", { class: "visually-hidden" }, options.buttonHidden) : null,
    );
    this.el = h(
      "form",
      { id, class: options.compact ? "form compact" : "form", novalidate: true },
      this.summary,
      this.body,
      h("div", { class: "form-actions" }, this.button),
    );
    this.el.addEventListener("submit", (event) => {
      event.preventDefault();
      void this.submit();
    });
    live.push(this);
  }

  /** Adds content (fields, paragraphs) to the form, in order. */
  add(...children: Child[]): this {
    for (const child of children) {
      if (child instanceof Node) this.body.appendChild(child);
      else if (typeof child === "string") this.body.appendChild(document.createTextNode(child));
    }
    return this;
  }

  /** The key of the creating request now being tried: the same while a submit is retried. */
  idempotencyKey(): string {
    return this.key;
  }

  private async submit(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.el.setAttribute("aria-busy", "true");
    this.button.setAttribute("aria-disabled", "true");
    const label = Array.from(this.button.childNodes);
    this.button.textContent = t("common.working");
    this.clear();
    try {
      await this.options.onSubmit(this);
      this.key = newKey();
    } catch (error) {
      // Only a request that got no answer, or a 503 (nothing written), may be the same request
      // again; anything else was answered, and a new submit is a new request.
      const { status, type } = error as { status?: number; type?: string };
      const sameRequest = status === 0 || status === 503 || (status === 409 && type?.endsWith("/in-progress"));
      if (!sameRequest) this.key = newKey();
      if (this.el.isConnected) this.showError(error);
      else throw error;
    } finally {
      this.busy = false;
      this.el.removeAttribute("aria-busy");
      this.button.removeAttribute("aria-disabled");
      this.button.replaceChildren(...label);
    }
  }

  // ---------------------------------------------------------------- fields

  private register(name: string, control: Control): void {
    this.controls.set(name, control);
  }

  private ids(name: string) {
    const id = `${this.id}-${name.replace(/[^a-zA-Z0-9_-]/g, "-")}`;
    return { id, hint: `${id}-hint`, error: `${id}-error` };
  }

  private labelText(label: string, optional?: boolean): Child[] {
    return [label, optional ? h("span", { class: "optional" }, ` ${t("common.optional")}`) : null];
  }

  text(name: string, label: string, o: FieldOptions = {}): HTMLElement {
    const ids = this.ids(name);
    const input = h("input", {
      id: ids.id,
      name,
      type: o.type ?? "text",
      value: o.value ?? "",
      autocomplete: o.autocomplete ?? "off",
      inputmode: o.inputmode,
      spellcheck: o.spellcheck === false ? "false" : undefined,
      class: `input ${o.width ?? "long"}`,
      "aria-describedby": o.hint ? ids.hint : undefined,
    });
    return this.simple(name, label, input, o, ids);
  }

  textarea(name: string, label: string, o: FieldOptions & { rows?: number } = {}): HTMLElement {
    const ids = this.ids(name);
    const area = h("textarea", {
      id: ids.id,
      name,
      rows: o.rows ?? 4,
      autocomplete: o.autocomplete ?? "off",
      class: `input ${o.width ?? "long"}`,
      "aria-describedby": o.hint ? ids.hint : undefined,
    });
    area.value = o.value ?? "";
    return this.simple(name, label, area, o, ids);
  }

  select(name: string, label: string, choices: Array<[string, string]>, o: FieldOptions & { placeholder?: string } = {}): HTMLElement {
    const ids = this.ids(name);
    const select = h(
      "select",
      { id: ids.id, name, class: `input ${o.width ?? "medium"}`, "aria-describedby": o.hint ? ids.hint : undefined },
      o.placeholder !== undefined ? h("option", { value: "" }, o.placeholder) : null,
      choices.map(([value, text]) => h("option", { value, selected: value === o.value }, text)),
    );
    return this.simple(name, label, select, o, ids);
  }

  private simple(name: string, label: string, control: HTMLElement, o: FieldOptions, ids: ReturnType<Form["ids"]>): HTMLElement {
    const error = h("p", { class: "field-error", id: ids.error, hidden: true });
    const wrapper = h(
      "div",
      { class: "field" },
      h("label", { for: ids.id, class: "label" }, this.labelText(label, o.optional)),
      o.hint ? h("p", { class: "hint", id: ids.hint }, o.hint) : null,
      error,
      control,
    );
    this.register(name, {
      id: ids.id,
      label,
      wrapper,
      error,
      described: [control],
      hintId: o.hint ? ids.hint : null,
      focus: () => control.focus(),
    });
    return wrapper;
  }

  radios(name: string, legend: string, choices: Array<[string, string]>, o: FieldOptions & { inline?: boolean } = {}): HTMLElement {
    const ids = this.ids(name);
    const error = h("p", { class: "field-error", id: ids.error, hidden: true });
    const inputs = choices.map(([value], i) =>
      h("input", {
        type: "radio",
        name,
        value,
        id: `${ids.id}-${i}`,
        class: "radio-input",
        checked: value === o.value,
      }),
    );
    const fieldset = h(
      "fieldset",
      { class: "field fieldset", id: ids.id, "aria-describedby": o.hint ? ids.hint : undefined },
      h("legend", { class: "label" }, this.labelText(legend, o.optional)),
      o.hint ? h("p", { class: "hint", id: ids.hint }, o.hint) : null,
      error,
      h(
        "div",
        { class: o.inline ? "choices inline" : "choices" },
        choices.map(([, text], i) =>
          h("div", { class: "choice" }, inputs[i]!, h("label", { for: `${ids.id}-${i}` }, text)),
        ),
      ),
    );
    this.register(name, {
      id: `${ids.id}-0`,
      label: legend,
      wrapper: fieldset,
      error,
      described: [fieldset],
      hintId: o.hint ? ids.hint : null,
      focus: () => (inputs.find((i) => i.checked) ?? inputs[0])?.focus(),
    });
    return fieldset;
  }

  /** `short` names the box in the error summary when its label is a long sentence. */
  checkbox(name: string, label: string, o: { hint?: string; checked?: boolean; short?: string } = {}): HTMLElement {
    const ids = this.ids(name);
    const error = h("p", { class: "field-error", id: ids.error, hidden: true });
    const input = h("input", {
      type: "checkbox",
      id: ids.id,
      name,
      class: "checkbox-input",
      checked: o.checked,
      "aria-describedby": o.hint ? ids.hint : undefined,
    });
    const wrapper = h(
      "div",
      { class: "field" },
      error,
      h("div", { class: "choice" }, input, h("label", { for: ids.id }, label)),
      o.hint ? h("p", { class: "hint", id: ids.hint }, o.hint) : null,
    );
    this.register(name, {
      id: ids.id,
      label: o.short ?? label,
      wrapper,
      error,
      described: [input],
      hintId: o.hint ? ids.hint : null,
      focus: () => input.focus(),
    });
    return wrapper;
  }

  /** A fieldset grouping fields under a legend (e.g. the owner's contact). */
  group(legend: string, ...children: Child[]): HTMLElement {
    return h("fieldset", { class: "group" }, h("legend", { class: "group-legend" }, legend), children);
  }

  // ---------------------------------------------------------------- values

  private element(name: string): HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement | null {
    return this.el.querySelector(`[name="${CSS.escape(name)}"]`);
  }

  value(name: string): string {
    const el = this.element(name);
    return el ? el.value : "";
  }

  /** A text value, or null when left empty (for optional fields). */
  optional(name: string): string | null {
    const v = this.value(name);
    return v.trim() === "" ? null : v;
  }

  checked(name: string): boolean {
    const el = this.element(name);
    return el instanceof HTMLInputElement ? el.checked : false;
  }

  radio(name: string): string | null {
    const el = this.el.querySelector<HTMLInputElement>(`input[name="${CSS.escape(name)}"]:checked`);
    return el ? el.value : null;
  }

  // ---------------------------------------------------------------- errors

  clear(): void {
    this.lastError = null;
    this.clientErrors = null;
    this.summary.hidden = true;
    replace(this.summary);
    for (const control of this.controls.values()) {
      control.wrapper.classList.remove("invalid");
      control.error.hidden = true;
      replace(control.error);
      for (const el of control.described) {
        el.removeAttribute("aria-invalid");
        if (control.hintId) el.setAttribute("aria-describedby", control.hintId);
        else el.removeAttribute("aria-describedby");
      }
    }
  }

  /** Shows what went wrong with a submit: an API problem (or any error). */
  showError(error: unknown): void {
    const described = describe(error);
    const status = (error as { status?: number }).status ?? -1;
    const field = this.options.statusFields?.[status];
    const fields = described.fields.length === 0 && field ? [{ field, message: described.summary }] : described.fields;
    this.render(described.summary, fields);
    this.lastError = error;
  }

  /** Shows errors found before sending: fields and the keys of their messages. */
  fail(problems: ClientProblem[]): void {
    this.render(t("err.422"), problems.map((p) => ({ field: p.field, message: t(p.key) })));
    this.clientErrors = problems;
  }

  private render(summary: string, fields: FieldProblem[]): void {
    this.clear();
    const items: HTMLElement[] = [];
    for (const problem of fields) {
      const name = this.options.aliases?.[problem.field] ?? problem.field;
      const control = this.controls.get(name);
      if (!control) {
        items.push(h("li", null, problem.message));
        continue;
      }
      const override = this.options.fieldMessages?.[name];
      const message = override ? t(override) : problem.message;
      control.wrapper.classList.add("invalid");
      control.error.hidden = false;
      replace(control.error, h("span", { class: "visually-hidden" }, `${t("err.prefix")} `), message);
      for (const el of control.described) {
        el.setAttribute("aria-invalid", "true");
        el.setAttribute("aria-describedby", [control.hintId, control.error.id].filter(Boolean).join(" "));
      }
      items.push(
        h(
          "li",
          null,
          h(
            "a",
            {
              href: `#${control.id}`,
              onclick: (event: Event) => {
                event.preventDefault();
                control.focus();
              },
            },
            t("err.field", { label: control.label.replace(/[.:]$/, ""), message }),
          ),
        ),
      );
    }
    const count = Math.max(items.length, 1);
    replace(
      this.summary,
      h("h2", { class: "error-summary-title", id: `${this.id}-summary-title` }, count > 1 ? t("err.summary.n", { n: count }) : t("err.summary")),
      h("p", null, summary),
      items.length ? h("ul", { class: "error-list" }, items) : null,
    );
    this.summary.setAttribute("aria-labelledby", `${this.id}-summary-title`);
    this.summary.hidden = false;
    this.summary.focus();
  }

  // ---------------------------------------------------------------- carried over a re-render

  snapshot(): Snapshot {
    const values: Record<string, string | boolean> = {};
    for (const el of Array.from(this.el.querySelectorAll<HTMLInputElement>("input, select, textarea"))) {
      if (!el.id) continue;
      values[el.id] = el.type === "checkbox" || el.type === "radio" ? el.checked : el.value;
    }
    return { values, error: this.lastError, clientErrors: this.clientErrors };
  }

  restore(s: Snapshot): void {
    for (const [id, value] of Object.entries(s.values)) {
      const el = this.el.querySelector<HTMLInputElement>(`#${CSS.escape(id)}`);
      if (!el) continue;
      if (typeof value === "boolean") el.checked = value;
      else el.value = value;
    }
    // Shown again in the new language, without taking the focus from where the person is.
    const active = document.activeElement as HTMLElement | null;
    if (s.error) this.showError(s.error);
    else if (s.clientErrors) this.fail(s.clientErrors);
    if (s.error || s.clientErrors) active?.focus();
  }
}

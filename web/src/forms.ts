// Accessible forms, drawn with the GC Design System's fields (gcds-input, gcds-textarea,
// gcds-select, gcds-radios, gcds-checkboxes) and button (gcds-button): every control has a label,
// an optional hint and an error message that the component links to it (aria-describedby,
// aria-invalid); a refused submit sets the named fields' error messages, fills an error summary
// at the top of the form (aria-live, focused, each line a link to its field) and keeps every
// value as typed. The portal validates (validate-on="other"), so the components never show an
// error of their own. The API's problem responses arrive here through api.describe.

import { describe, newKey, type FieldProblem } from "./api";
import { firstFocusable, h, replace, type Child } from "./dom";
import { t, type Key } from "./i18n";

/** A design-system field: its element (which takes `error-message`), and its value. */
interface Control {
  /** The id of what the error summary links to (the input itself, or a group's first input). */
  id: string;
  label: string;
  field: HTMLElement;
  read: () => string | boolean;
  write: (value: string | boolean) => void;
  focus: () => void;
}

/** What a gcds field element holds (its `value` property follows what the person types). */
type GcdsField = HTMLElement & { value: string | string[] };

interface Snapshot {
  /** By field name. */
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

/** How many characters a text box shows (gcds-input's `size`); long: as wide as the column. */
const WIDTH = { short: 10, medium: 20, long: undefined } as const;

/** Focuses the input inside a design-system field. */
function focusField(field: HTMLElement): void {
  (firstFocusable(field) ?? field).focus();
}

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
    // gcds-button's `disabled` is aria-disabled on its button (it keeps the focus), and it
    // ignores clicks meanwhile.
    this.button.setAttribute("disabled", "");
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
      // A 401 ended the session (or asked for a fresh sign-in) and took the person to the
      // sign-in page, which says why: nothing is left to show here.
      else if (status !== 401) throw error;
    } finally {
      this.busy = false;
      this.el.removeAttribute("aria-busy");
      this.button.removeAttribute("disabled");
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

  private labelText(label: string, optional?: boolean): string {
    return optional ? `${label} ${t("common.optional")}` : label;
  }

  /** gcds-input: `width` is how many characters the box shows (long: the column's width). */
  text(name: string, label: string, o: FieldOptions = {}): HTMLElement {
    const ids = this.ids(name);
    const input = h("gcds-input", {
      "input-id": ids.id,
      name,
      label: this.labelText(label, o.optional),
      hint: o.hint,
      type: o.type ?? "text",
      autocomplete: o.autocomplete ?? "off",
      inputmode: o.inputmode,
      spellcheck: o.spellcheck === false ? "false" : undefined,
      size: WIDTH[o.width ?? "long"],
      "validate-on": "other",
      class: "field",
    }) as GcdsField;
    input.value = o.value ?? "";
    return this.simple(name, label, input, ids.id);
  }

  textarea(name: string, label: string, o: FieldOptions & { rows?: number } = {}): HTMLElement {
    const ids = this.ids(name);
    const area = h("gcds-textarea", {
      "textarea-id": ids.id,
      name,
      label: this.labelText(label, o.optional),
      hint: o.hint,
      rows: o.rows ?? 4,
      "validate-on": "other",
      class: "field",
    }) as GcdsField;
    area.value = o.value ?? "";
    return this.simple(name, label, area, ids.id);
  }

  select(name: string, label: string, choices: Array<[string, string]>, o: FieldOptions & { placeholder?: string } = {}): HTMLElement {
    const ids = this.ids(name);
    const select = h(
      "gcds-select",
      {
        "select-id": ids.id,
        name,
        label: this.labelText(label, o.optional),
        hint: o.hint,
        "default-value": o.placeholder,
        "validate-on": "other",
        class: "field",
      },
      choices.map(([value, text]) => h("option", { value }, text)),
    ) as GcdsField;
    select.value = o.value ?? (o.placeholder !== undefined ? "" : (choices[0]?.[0] ?? ""));
    return this.simple(name, label, select, ids.id);
  }

  private simple(name: string, label: string, field: GcdsField, id: string): HTMLElement {
    this.register(name, {
      id,
      label,
      field,
      read: () => String(field.value ?? ""),
      write: (value) => {
        field.value = String(value);
      },
      focus: () => focusField(field),
    });
    return field;
  }

  /** Radio buttons; a choice's third part is its one-line description (gcds option hint). */
  radios(name: string, legend: string, choices: Array<[string, string] | [string, string, string]>, o: FieldOptions & { inline?: boolean } = {}): HTMLElement {
    const ids = this.ids(name);
    const radios = h("gcds-radios", {
      id: ids.id,
      name,
      legend: this.labelText(legend, o.optional),
      hint: o.hint,
      options: JSON.stringify(choices.map(([value, label, hint], i) => ({ id: `${ids.id}-${i}`, label, value, hint }))),
      "validate-on": "other",
      class: o.inline ? "field inline" : "field",
    }) as GcdsField;
    radios.value = o.value ?? "";
    this.register(name, {
      id: `${ids.id}-0`,
      label: legend,
      field: radios,
      read: () => String(radios.value ?? ""),
      write: (value) => {
        radios.value = String(value);
      },
      focus: () => {
        const inputs = Array.from(radios.shadowRoot?.querySelectorAll<HTMLInputElement>("input") ?? []);
        (inputs.find((i) => i.checked) ?? inputs[0])?.focus();
      },
    });
    return radios;
  }

  /** One box (gcds-checkboxes with a single option). `short` names it in the error summary
   *  when its label is a long sentence. */
  checkbox(name: string, label: string, o: { hint?: string; checked?: boolean; short?: string } = {}): HTMLElement {
    const ids = this.ids(name);
    const box = h("gcds-checkboxes", {
      name,
      options: JSON.stringify([{ id: ids.id, label, value: "yes", hint: o.hint, checked: o.checked ?? false }]),
      "validate-on": "other",
      class: "field",
    }) as GcdsField;
    box.value = o.checked ? ["yes"] : [];
    this.register(name, {
      id: ids.id,
      label: o.short ?? label,
      field: box,
      read: () => Array.isArray(box.value) && box.value.includes("yes"),
      write: (checked) => {
        box.value = checked ? ["yes"] : [];
        box.setAttribute("options", JSON.stringify([{ id: ids.id, label, value: "yes", hint: o.hint, checked: checked === true }]));
      },
      focus: () => focusField(box),
    });
    return box;
  }

  /** A fieldset grouping fields under a legend (e.g. the owner's contact). */
  group(legend: string, ...children: Child[]): HTMLElement {
    return h("fieldset", { class: "group" }, h("legend", { class: "group-legend" }, legend), children);
  }

  // ---------------------------------------------------------------- values

  value(name: string): string {
    const v = this.controls.get(name)?.read();
    return typeof v === "string" ? v : "";
  }

  /** A text value, or null when left empty (for optional fields). */
  optional(name: string): string | null {
    const v = this.value(name);
    return v.trim() === "" ? null : v;
  }

  checked(name: string): boolean {
    return this.controls.get(name)?.read() === true;
  }

  radio(name: string): string | null {
    return this.value(name) || null;
  }

  // ---------------------------------------------------------------- errors

  clear(): void {
    this.lastError = null;
    this.clientErrors = null;
    this.summary.hidden = true;
    replace(this.summary);
    for (const control of this.controls.values()) control.field.removeAttribute("error-message");
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
      // The component shows the message by its field and links it (aria-invalid, aria-describedby).
      control.field.setAttribute("error-message", message);
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
    for (const [name, control] of this.controls) values[name] = control.read();
    return { values, error: this.lastError, clientErrors: this.clientErrors };
  }

  restore(s: Snapshot): void {
    for (const [name, value] of Object.entries(s.values)) this.controls.get(name)?.write(value);
    // Shown again in the new language, without taking the focus from where the person is.
    const active = document.activeElement as HTMLElement | null;
    if (s.error) this.showError(s.error);
    else if (s.clientErrors) this.fail(s.clientErrors);
    if (s.error || s.clientErrors) active?.focus();
  }
}

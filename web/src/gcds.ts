// The GC Design System's web components the portal uses, defined once at start-up. Each comes
// from the package's custom-elements build, bundled by Vite (nothing is fetched at run time);
// its stylesheet, tokens and fonts come with it (gcds.css, gcds-fonts.css).

import "@gcds-core/components/dist/gcds/gcds.css";
import "./gcds-fonts.css";
import { defineCustomElement as breadcrumbs } from "@gcds-core/components/dist/components/gcds-breadcrumbs.js";
import { defineCustomElement as breadcrumbsItem } from "@gcds-core/components/dist/components/gcds-breadcrumbs-item.js";
import { defineCustomElement as checkboxes } from "@gcds-core/components/dist/components/gcds-checkboxes.js";
import { defineCustomElement as input } from "@gcds-core/components/dist/components/gcds-input.js";
import { defineCustomElement as radios } from "@gcds-core/components/dist/components/gcds-radios.js";
import { defineCustomElement as select } from "@gcds-core/components/dist/components/gcds-select.js";
import { defineCustomElement as textarea } from "@gcds-core/components/dist/components/gcds-textarea.js";
import { defineCustomElement as button } from "@gcds-core/components/dist/components/gcds-button.js";
import { defineCustomElement as footer } from "@gcds-core/components/dist/components/gcds-footer.js";
import { defineCustomElement as header } from "@gcds-core/components/dist/components/gcds-header.js";
import { defineCustomElement as langToggle } from "@gcds-core/components/dist/components/gcds-lang-toggle.js";
import { defineCustomElement as notice } from "@gcds-core/components/dist/components/gcds-notice.js";
import { defineCustomElement as signature } from "@gcds-core/components/dist/components/gcds-signature.js";

export function defineGcds(): void {
  for (const define of [
    breadcrumbs,
    breadcrumbsItem,
    button,
    checkboxes,
    footer,
    header,
    input,
    langToggle,
    notice,
    radios,
    select,
    signature,
    textarea,
  ]) define();
}

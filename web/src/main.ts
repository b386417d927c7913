// The portal's routes. Paths are chosen never to be API routes (the API is on the same origin):
// /business/{id} here, /businesses/{id} there; /officer/... here, /agency/... there.

import { defineGcds } from "./gcds";
import "./styles.css";
import { route, start } from "./app";
import { h, replace } from "./dom";
import { lang, t } from "./i18n";
import { accountPage, claimPage, movePage, newAccountPage } from "./pages/account";
import { activatePage, registerPage, requestCodePage } from "./pages/activation";
import { businessRegisterPage, issueSecretPage } from "./pages/agency";
import { lettersPage } from "./pages/letters";
import { supportBusinessPage, supportUserPage } from "./pages/support";
import { agencyAuditPage } from "./pages/officer-audit";
import { reinstatePage } from "./pages/reinstate";
import { importPage } from "./pages/imports";
import {
  auditPage,
  closePage,
  delegationsTab,
  editPage,
  membersPage,
  overviewPage,
  sharingPage,
  termsPage,
  transferPage,
} from "./pages/business";
import { dashboardPage } from "./pages/dashboard";
import { callbackPage, signInPage } from "./pages/signin";
import { loadConfig } from "./session";

const ID = "([0-9a-z]{26})";

route(/^\/$/, dashboardPage);
route(/^\/dashboard$/, dashboardPage);
route(/^\/sign-in$/, signInPage, "none");
route(/^\/auth\/callback$/, callbackPage, "none");
route(/^\/account\/new$/, newAccountPage, "token");
route(/^\/account\/claim$/, claimPage, "token");
route(/^\/account\/move$/, movePage);
route(/^\/account$/, accountPage);
route(/^\/register$/, registerPage);
route(/^\/request-code$/, requestCodePage);
route(/^\/activate$/, activatePage);
route(new RegExp(`^/business/${ID}$`), overviewPage);
route(new RegExp(`^/business/${ID}/edit$`), editPage);
route(new RegExp(`^/business/${ID}/close$`), closePage);
route(new RegExp(`^/business/${ID}/terms$`), termsPage);
route(new RegExp(`^/business/${ID}/members$`), membersPage);
route(new RegExp(`^/business/${ID}/delegations$`), delegationsTab);
route(new RegExp(`^/business/${ID}/transfer$`), transferPage);
route(new RegExp(`^/business/${ID}/sharing$`), sharingPage);
route(new RegExp(`^/business/${ID}/audit$`), auditPage);
route(/^\/officer\/secrets$/, issueSecretPage, "token");
route(/^\/officer\/letters$/, lettersPage, "token");
route(/^\/officer\/register$/, businessRegisterPage, "token");
route(/^\/officer\/audit$/, agencyAuditPage, "token");
route(/^\/officer\/reinstate$/, reinstatePage, "token");
route(/^\/officer\/imports$/, importPage, "token");
route(/^\/officer\/users$/, supportUserPage, "token");
route(/^\/officer\/businesses$/, supportBusinessPage, "token");

defineGcds();
document.documentElement.lang = lang();
replace(document.getElementById("app")!, h("p", { class: "loading" }, t("site.loading")));
void loadConfig().then(start);

// The one place the portal talks to the API (same origin), and the one place an API problem
// (RFC 9457 application/problem+json, with `errors: [{field, message}]` on 422) becomes what a
// person reads: a summary and a message per field, in their language.

import { apiDetail, apiMessage, has, t, type Key } from "./i18n";
import { askToSignInAgain, expireSession, session } from "./session";

export interface FieldProblem {
  field: string;
  message: string;
}

/** A request that did not succeed: an HTTP answer other than 2xx, or no answer at all. */
export class ApiError extends Error {
  constructor(
    readonly status: number, // 0: the API could not be reached
    readonly detail: string | undefined,
    readonly errors: FieldProblem[],
    readonly type: string | undefined,
    /** On a wrong identifier/secret pair: the tries this sign-in has left before a lock. */
    readonly attemptsLeft?: number,
  ) {
    super(`API ${status}${detail ? `: ${detail}` : ""}`);
  }
}

export interface Options {
  body?: unknown;
  headers?: Record<string, string>;
  /** Sent as Idempotency-Key on the creating POSTs: a retried submit creates nothing twice. */
  idempotencyKey?: string;
  /** Whether to send the session's token (default true). */
  auth?: boolean;
  /** Called with a successful response, before its body is returned (to read its headers). */
  onResponse?: (response: Response) => void;
}

/** Pages `apiAll` follows at most (50 000 members at 1 000 a page). */
const MAX_PAGES = 50;

/** The next page's path from a `Link: <…>; rel="next"` header (RFC 8288), if there is one. */
export function nextLink(link: string | null): string | null {
  const match = link?.match(/<([^>]+)>\s*;\s*rel="next"/);
  return match && match[1]!.startsWith("/") ? match[1]! : null;
}

/** Every page of a list whose answer links to the next page (`GET /businesses/{id}/members`). */
export async function apiAll<T>(path: string): Promise<T[]> {
  const out: T[] = [];
  let next: string | null = path;
  for (let pages = 0; next && pages < MAX_PAGES; pages++) {
    let link: string | null = null;
    const page: T[] = await api<T[]>("GET", next, { onResponse: (r) => (link = r.headers.get("link")) });
    out.push(...page);
    next = nextLink(link);
  }
  return out;
}

export async function api<T>(method: string, path: string, options: Options = {}): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json", ...options.headers };
  const token = session()?.token;
  if (options.auth !== false && token) headers.authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers["content-type"] = "application/json";
  if (options.idempotencyKey) headers["idempotency-key"] = options.idempotencyKey;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: options.body === undefined ? null : JSON.stringify(options.body),
      credentials: "same-origin",
      cache: "no-store",
    });
  } catch {
    throw new ApiError(0, undefined, [], undefined);
  }
  const text = await response.text();
  let json: unknown = undefined;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
  }
  if (response.ok) {
    options.onResponse?.(response);
    return json as T;
  }
  const problem = (json && typeof json === "object" ? json : {}) as Record<string, unknown>;
  const errors = Array.isArray(problem.errors)
    ? problem.errors
        .filter((e): e is FieldProblem => !!e && typeof e.field === "string" && typeof e.message === "string")
        .map((e) => ({ field: e.field, message: e.message }))
    : [];
  const error = new ApiError(
    response.status,
    typeof problem.detail === "string" ? problem.detail : undefined,
    errors,
    typeof problem.type === "string" ? problem.type : undefined,
    typeof problem.attempts_left === "number" ? problem.attempts_left : undefined,
  );
  if (response.status === 401 && options.auth !== false && token) {
    // RFC 9470: signed in, but not recently or strongly enough for this; else the token is bad.
    const challenge = response.headers.get("www-authenticate") ?? "";
    if (challenge.includes("insufficient_user_authentication")) askToSignInAgain(challenge);
    else expireSession();
  }
  return Promise.reject(error);
}

/** A fresh key for one creating request (crypto.randomUUID needs a secure context). */
export function newKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

const STATUS_KEYS: Record<number, Key> = {
  0: "err.network",
  400: "err.400",
  401: "err.401",
  403: "err.403",
  404: "err.404",
  409: "err.409",
  410: "err.410",
  413: "err.413",
  422: "err.422",
  423: "err.423",
  429: "err.429",
  503: "err.503",
};

/** What a person reads for an error: a summary sentence and a message per named field. */
export interface Described {
  summary: string;
  fields: FieldProblem[];
}

export function describe(error: unknown): Described {
  if (!(error instanceof ApiError)) return { summary: t("err.500"), fields: [] };
  let summary = (error.status !== 422 && apiDetail(error.detail)) || t(STATUS_KEYS[error.status] ?? "err.500");
  // Said before the lock, so a person who mistyped knows to check the letter or e-mail again.
  if (error.attemptsLeft !== undefined) summary = `${summary} ${t("err.attempts_left", { n: error.attemptsLeft })}`;
  return {
    summary,
    fields: error.errors.map((e) => ({ field: e.field, message: fieldMessage(e) })),
  };
}

/** A field left empty says what to enter there ("Enter your email address."); any other
 *  message is the API's, translated. */
function fieldMessage(e: FieldProblem): string {
  const empty = `empty.${e.field}`;
  if ((e.message === "is required" || e.message === "must not be empty") && has(empty)) return t(empty);
  return apiMessage(e.message);
}

// ---------------------------------------------------------------- what the API answers

export type Program = "ttp" | "emanifest" | "cers";
export type Role = "owner" | "proxy" | "user" | "browser";
export type Permission =
  | "declarations:view"
  | "declarations:edit"
  | "messages:view"
  | "members:list"
  | "members:manage-proxy"
  | "members:manage-staff"
  | "business:manage"
  | "audit:read";

export interface ProgramRules {
  program: Program;
  name_en: string;
  name_fr: string;
  identifier_kind: string;
  secret_delivery: "letter" | "email";
  secret_lifetime_days: number;
  terms_version: string;
}

export interface Programs {
  portal_terms_version: string;
  programs: ProgramRules[];
}

export interface User {
  urn: string;
  name: string;
  email: string;
  /** A new address waiting for the code sent to it; notices go to `email` until then. */
  pending_email: string | null;
  pending_email_expires_at: string | null;
  /** `GET /users/me` only: whether notices reach `email` (SES bounced or complained of it). */
  email_status?: "deliverable" | "undeliverable";
  email_undeliverable_reason?: "bounced" | "complained";
  email_undeliverable_since?: string;
  phone: string;
  language: "en" | "fr";
  terms_version: string;
}

export interface MyBusiness {
  business_id: string;
  program: Program;
  legal_name: string;
  status: string;
  /** Null where the person acts for the business through a delegation. */
  role: Role | null;
  permissions: Permission[];
  delegation?: ActingThrough;
  /** What waits for the person on this business (terms, consent, an ownership transfer). */
  to_do: ToDo[];
}

export type ToDo =
  | { kind: "accept_terms" }
  | { kind: "record_consent" }
  | { kind: "accept_ownership"; from_urn: string; from_name: string; expires_at: string }
  | { kind: "ownership_transfer_waiting"; to_urn: string; to_name: string; expires_at: string };

/** A pending ownership transfer, as the owner or the person named sees it. */
export interface PendingTransfer {
  from_urn: string;
  from_name: string;
  to_urn: string;
  to_name: string;
  requested_at: string;
  expires_at: string;
  yours_to_accept: boolean;
}

export interface ActingThrough {
  delegation_id: string;
  through_business_id: string;
  through_legal_name: string | null;
  permissions: DelegatedPermissions;
  ends_on: string;
}

export type DelegatedPermissions = "view" | "view_submit";
export type DelegationStatus = "pending" | "requested" | "active" | "declined" | "withdrawn" | "ended" | "expired";

export interface DelegationParty {
  program: Program;
  business_identifier: string;
  legal_name: string | null;
}

export interface Delegation {
  delegation_id: string;
  direction: "given" | "received";
  program: Program;
  grantor: DelegationParty;
  grantee: DelegationParty;
  permissions: DelegatedPermissions;
  grants: Permission[];
  ends_on: string;
  note: string | null;
  status: DelegationStatus;
  history: Array<{ action: string; side?: "grantor" | "grantee"; by_urn?: string; at: string }>;
  created_at: string;
  version: number;
  agents: Array<{ urn: string; name: string; permissions: DelegatedPermissions; since: string }>;
}

export interface Consent {
  consent: boolean;
  signatory_name: string;
  signatory_title: string;
  recorded_by: string;
  recorded_at: string;
}

export interface Business extends MyBusiness {
  business_identifier: string;
  owner_urn: string;
  owner_contact: { position_title: string; address: string; phone: string; email: string };
  mailing_address: string;
  terms_version: string | null;
  information_sharing: Consent | null;
  /** On `GET /businesses/{id}`: the transfer the caller takes part in, if one is pending. */
  ownership_transfer?: PendingTransfer | null;
  /** Sent back as `If-Match`, so a change made on a stale read is refused (409). */
  version: number;
}

export interface Member {
  urn: string;
  name: string;
  role: Role;
  since: string;
  version: number;
}

export interface AuditEvent {
  event_id: string;
  action: string;
  actor_urn: string;
  actor_idp: string;
  /** Names as they were when the event was written; absent on older events. */
  actor_name?: string;
  subject_urn?: string;
  subject_name?: string;
  at: string;
  before: unknown;
  after: unknown;
}

export interface AuditPage {
  events: AuditEvent[];
  next_cursor: string | null;
}

export interface Issued {
  shared_secret: string;
  expires_at: string;
  delivery: "letter" | "email";
  letter_id?: string;
  purpose: "activation" | "recovery";
}

export interface SupportUser {
  urn: string;
  name: string;
  email: string;
  language: "en" | "fr";
  credential_kind: string;
  created_at: string;
  last_active_at: string | null;
  status: string;
  businesses: Array<{
    business_id: string;
    program: Program;
    business_identifier: string;
    legal_name: string;
    status: string;
    role: Role;
  }>;
}

export interface SupportBusiness {
  program: Program;
  business_identifier: string;
  business_number: string | null;
  status: "none" | "issued" | "activated" | "authorized";
  business_id: string | null;
  legal_name: string | null;
  owner: { urn: string; name: string } | null;
  members: number;
  secret: { purpose: "activation" | "recovery"; expires_at: string } | null;
  letter: { letter_id: string; status: LetterStatus } | null;
}

export type LetterStatus = "review" | "pending" | "mailed" | "withdrawn";

export interface Letter {
  letter_id: string;
  status: LetterStatus;
  program: Program;
  business_identifier: string;
  business_number: string | null;
  legal_name: string;
  mailing_address: string;
  registered_by: string | null;
  language: "en" | "fr";
  /** The code, while the letter is pending. */
  shared_secret: string | null;
  expires_at: string;
  created_at: string;
}

export interface LettersPage {
  letters: Letter[];
  next_cursor: string | null;
}

export interface RegisterEntry {
  business_number: string;
  legal_name: string;
  mailing_address: string;
  updated_at: string;
  updated_by: string;
}

export interface AgencyAuditEvent {
  event_id: string;
  action: string;
  officer_idp: string;
  officer_sub: string;
  concerned: string[];
  at: string;
}

export interface AgencyAuditPage {
  events: AgencyAuditEvent[];
  next_cursor: string | null;
}

let programsCache: Promise<Programs> | null = null;

/** GET /programs, once per page load. */
export function programs(): Promise<Programs> {
  programsCache ??= api<Programs>("GET", "/programs", { auth: false }).catch((e: unknown) => {
    programsCache = null;
    throw e;
  });
  return programsCache;
}

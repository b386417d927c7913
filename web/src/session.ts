// Who is signed in: the access token from the credential provider, kept in sessionStorage (gone
// when the tab closes), and the two ways to get one:
// - local stack: POST /_local/token {sub, idp, roles} (that route exists only on the local stack;
//   pages/signin.ts asks for it through api.ts, which reads the session: this module imports
//   neither, so the two do not import each other);
// - deployed: OpenID Connect authorization code flow with PKCE against the credential broker,
//   configured at run time by /config.json (README.md, "Sign-in when deployed").

export type Idp = "gckey" | "sign-in-partner";

export interface Session {
  token: string;
  idp: Idp;
  sub: string;
  roles: string[];
  expiresAt: number; // ms since the epoch
}

export interface OidcConfig {
  mode: "oidc";
  /** The provider's authorization and token endpoints. */
  authorization_endpoint: string;
  token_endpoint: string;
  client_id: string;
  /** Where the provider sends the browser back: https://<portal>/auth/callback */
  redirect_uri: string;
  scope?: string;
  /** Extra authorization parameter per credential provider, e.g. {"gckey": {"kc_idp_hint": "gckey"}}. */
  idp_params?: Partial<Record<Idp, Record<string, string>>>;
  /** Where the provider ends its own session after sign-out (optional). */
  end_session_endpoint?: string;
}

export interface Config {
  auth: { mode: "local" } | OidcConfig;
}

const SESSION_KEY = "portal.session";
const ENDED_KEY = "portal.ended";
const PKCE_KEY = "portal.pkce";
const AGAIN_KEY = "portal.again";

/** Why the API asked the person to sign in again (RFC 9470), and where they were. */
export interface SignInAgain {
  /** The sign-in may be at most this many seconds old (`max_age`). */
  maxAge?: number;
  /** The sign-in must use these methods (`acr_values`, e.g. "mfa"). */
  acrValues?: string;
  returnTo: string;
}

let config: Config = { auth: { mode: "local" } };
let current: Session | null = load();
const expiryListeners: Array<() => void> = [];

export async function loadConfig(): Promise<Config> {
  try {
    const response = await fetch("/config.json", { cache: "no-store" });
    if (response.ok) config = (await response.json()) as Config;
  } catch {
    // No config: the local stack's sign-in.
  }
  return config;
}

export function authConfig(): Config["auth"] {
  return config.auth;
}

function load(): Session | null {
  try {
    const raw = sessionStorage.getItem(SESSION_KEY);
    if (!raw) return null;
    const s = JSON.parse(raw) as Session;
    return s.expiresAt > Date.now() ? s : null;
  } catch {
    return null;
  }
}

export function session(): Session | null {
  if (current && current.expiresAt <= Date.now()) expireSession();
  return current;
}

export function isOfficer(): boolean {
  return session()?.roles.includes("agency-officer") ?? false;
}

/** The claims of a JWT, read without checking it (the API checks it; this is for display). */
function claims(token: string): Record<string, unknown> {
  const part = token.split(".")[1] ?? "";
  const base64 = part.replace(/-/g, "+").replace(/_/g, "/");
  const json = decodeURIComponent(
    Array.from(atob(base64), (c) => `%${c.charCodeAt(0).toString(16).padStart(2, "0")}`).join(""),
  );
  return JSON.parse(json) as Record<string, unknown>;
}

export function startSession(token: string): Session {
  const c = claims(token);
  const roles = Array.isArray(c.roles) ? c.roles.filter((r): r is string => typeof r === "string") : [];
  current = {
    token,
    idp: c.idp === "sign-in-partner" ? "sign-in-partner" : "gckey",
    sub: String(c.sub ?? ""),
    roles,
    expiresAt: typeof c.exp === "number" ? c.exp * 1000 : Date.now() + 3600_000,
  };
  sessionStorage.setItem(SESSION_KEY, JSON.stringify(current));
  sessionStorage.removeItem(ENDED_KEY);
  return current;
}

export function endSession(): void {
  current = null;
  sessionStorage.removeItem(SESSION_KEY);
}

/** The token was refused or ran out: sign out, and say so on the sign-in page. */
export function expireSession(): void {
  if (!current) return;
  endSession();
  sessionStorage.setItem(ENDED_KEY, "1");
  for (const listener of expiryListeners) listener();
}

/**
 * The API answered with an RFC 9470 challenge (`WWW-Authenticate: Bearer
 * error="insufficient_user_authentication", …, max_age=900` or `acr_values="mfa"`): the session
 * is good, but not recent or strong enough for what was asked. Sign out, remember what the
 * provider must be asked for and the page the person was on, and send them to sign in again.
 */
export function askToSignInAgain(challenge: string): void {
  const param = (name: string) => new RegExp(`${name}="?([^",]+)"?`).exec(challenge)?.[1];
  const maxAge = Number(param("max_age"));
  const again: SignInAgain = {
    maxAge: Number.isFinite(maxAge) && maxAge >= 0 ? maxAge : undefined,
    acrValues: param("acr_values"),
    returnTo: location.pathname,
  };
  sessionStorage.setItem(AGAIN_KEY, JSON.stringify(again));
  if (!current) return;
  endSession();
  for (const listener of expiryListeners) listener();
}

/** Why the person is asked to sign in again, if they are (kept until they have). */
export function signInAgain(): SignInAgain | null {
  try {
    const raw = sessionStorage.getItem(AGAIN_KEY);
    return raw ? (JSON.parse(raw) as SignInAgain) : null;
  } catch {
    return null;
  }
}

/** Where to go after signing in again (the page that asked for it), and forgets the request. */
export function takeReturnTo(): string | null {
  const again = signInAgain();
  sessionStorage.removeItem(AGAIN_KEY);
  const to = again?.returnTo ?? "";
  return to.startsWith("/") && !to.startsWith("//") ? to : null;
}

export function onSessionExpired(listener: () => void): void {
  expiryListeners.push(listener);
}

/** Whether the last session ended by itself (shown once on the sign-in page). */
export function takeEndedNotice(): boolean {
  const ended = sessionStorage.getItem(ENDED_KEY) === "1";
  sessionStorage.removeItem(ENDED_KEY);
  return ended;
}

// ---------------------------------------------------------------- OpenID Connect (deployed)

function base64url(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function randomString(bytes = 32): string {
  return base64url(crypto.getRandomValues(new Uint8Array(bytes)));
}

/** Sends the browser to the credential provider (authorization code flow with PKCE). */
export async function oidcSignIn(idp: Idp, returnTo: string): Promise<void> {
  const c = config.auth;
  if (c.mode !== "oidc") throw new Error("OIDC is not configured");
  const verifier = randomString(48);
  const state = randomString(16);
  const challenge = base64url(
    new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier))),
  );
  sessionStorage.setItem(PKCE_KEY, JSON.stringify({ verifier, state, returnTo }));
  const url = new URL(c.authorization_endpoint);
  const params: Record<string, string> = {
    response_type: "code",
    client_id: c.client_id,
    redirect_uri: c.redirect_uri,
    scope: c.scope ?? "openid",
    state,
    code_challenge: challenge,
    code_challenge_method: "S256",
    ui_locales: document.documentElement.lang === "fr" ? "fr-CA" : "en-CA",
    ...(c.idp_params?.[idp] ?? {}),
    ...stepUpParams(),
  };
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  location.assign(url.toString());
}

/** What the API's last challenge asks the provider for: a fresh sign-in, or a second factor. */
function stepUpParams(): Record<string, string> {
  const again = signInAgain();
  const params: Record<string, string> = {};
  if (again?.maxAge !== undefined) params.max_age = String(again.maxAge);
  if (again?.acrValues) params.acr_values = again.acrValues;
  return params;
}

/** Completes the flow on /auth/callback; returns where to go next. */
export async function oidcCallback(search: string): Promise<string> {
  const c = config.auth;
  const stored = sessionStorage.getItem(PKCE_KEY);
  sessionStorage.removeItem(PKCE_KEY);
  const params = new URLSearchParams(search);
  if (c.mode !== "oidc" || !stored) throw new Error("no sign-in in progress");
  const { verifier, state, returnTo } = JSON.parse(stored) as { verifier: string; state: string; returnTo: string };
  const code = params.get("code");
  if (!code || params.get("state") !== state) throw new Error("sign-in refused or state mismatch");
  const response = await fetch(c.token_endpoint, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      code,
      redirect_uri: c.redirect_uri,
      client_id: c.client_id,
      code_verifier: verifier,
    }),
  });
  if (!response.ok) throw new Error(`token endpoint answered ${response.status}`);
  const answer = (await response.json()) as { access_token?: string };
  if (!answer.access_token) throw new Error("no access token");
  startSession(answer.access_token);
  const again = takeReturnTo();
  if (again) return again;
  return returnTo.startsWith("/") && !returnTo.startsWith("//") ? returnTo : "/";
}

export function signOutUrl(): string | null {
  const c = config.auth;
  return c.mode === "oidc" && c.end_session_endpoint ? c.end_session_endpoint : null;
}

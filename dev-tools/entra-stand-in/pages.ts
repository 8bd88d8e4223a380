import { describeScope } from "./scopes";

// Server-rendered pages for the interactive part of the stand-in. Every control has an accessible
// name so Playwright can drive them with getByLabel / getByRole.

export function escapeHtml(value: string): string {
  return value
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

const STYLE = `
body{font-family:system-ui,"Segoe UI",sans-serif;background:#f2f2f2;margin:0;color:#1b1b1b}
main{background:#fff;max-width:440px;margin:48px auto;padding:44px;box-shadow:0 2px 6px rgba(0,0,0,.2)}
.brand{font-weight:600;color:#737373;margin:0 0 16px}
h1{font-size:24px;font-weight:600;margin:0 0 12px}
label{display:block;margin:12px 0 4px}
input[type=email],input[type=password]{width:100%;box-sizing:border-box;padding:6px 0;border:0;border-bottom:1px solid #666;font-size:15px}
.check{display:flex;gap:8px;align-items:flex-start;margin:16px 0}
.check input{margin-top:3px}
.actions{display:flex;gap:8px;justify-content:flex-end;margin-top:24px}
button{min-width:108px;padding:6px 12px;font-size:15px;border:1px solid #0067b8;cursor:pointer}
button.primary{background:#0067b8;color:#fff}
button.secondary{background:#ccc;border-color:#ccc}
.error{color:#e81123}
.small{font-size:13px;color:#555}
ul{padding-left:20px}`;

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<p class="brand">Microsoft Entra ID stand-in</p>
${body}
</main>
</body>
</html>`;
}

function hidden(name: string, value: string): string {
  return `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`;
}

export type SignInPage = {
  action: string;
  flowId: string;
  appName: string;
  loginHint?: string;
  error?: string;
};

export function renderSignInPage(page: SignInPage): string {
  return layout(
    "Sign in to your account",
    `<h1>Sign in</h1>
<p>to continue to <strong>${escapeHtml(page.appName)}</strong></p>
${page.error ? `<p class="error" role="alert">${escapeHtml(page.error)}</p>` : ""}
<form method="post" action="${escapeHtml(page.action)}">
${hidden("flow", page.flowId)}
<label for="login">Email</label>
<input id="login" name="login" type="email" autocomplete="username" required value="${escapeHtml(page.loginHint ?? "")}">
<label for="passwd">Password</label>
<input id="passwd" name="passwd" type="password" autocomplete="current-password" required>
<div class="actions"><button class="primary" type="submit">Sign in</button></div>
</form>
<p class="small">Development accounts are listed in dev-tools/entra-stand-in/fixture.json.</p>`,
  );
}

export type SelectAccountPage = {
  action: string;
  switchHref: string;
  flowId: string;
  name: string;
  username: string;
};

export function renderSelectAccountPage(page: SelectAccountPage): string {
  return layout(
    "Pick an account",
    `<h1>Pick an account</h1>
<form method="post" action="${escapeHtml(page.action)}">
${hidden("flow", page.flowId)}
<button class="primary" type="submit">Continue as ${escapeHtml(page.name)} (${escapeHtml(page.username)})</button>
</form>
<p><a href="${escapeHtml(page.switchHref)}">Use another account</a></p>`,
  );
}

export type ConsentPage = {
  action: string;
  switchHref: string;
  flowId: string;
  appName: string;
  username: string;
  scopes: string[];
  /** Admin consent endpoint: the grant is always tenant-wide, so no checkbox. */
  organizationWide: boolean;
  /** Authorize with an admin signed in: offer the tenant-wide checkbox. */
  offerOrganizationConsent: boolean;
  tenantName: string;
};

export function renderConsentPage(page: ConsentPage): string {
  const items = page.scopes
    .map(describeScope)
    .map(
      (s) =>
        `<li><strong>${escapeHtml(s.description)}</strong> <span class="small">(${escapeHtml(s.name)})</span></li>`,
    )
    .join("\n");
  const who = page.organizationWide ? `all users in ${escapeHtml(page.tenantName)}` : "you";
  return layout(
    "Permissions requested",
    `<h1>Permissions requested</h1>
<p><strong>${escapeHtml(page.appName)}</strong> (unverified)</p>
<p class="small">Signed in as ${escapeHtml(page.username)}. <a href="${escapeHtml(page.switchHref)}">Use another account</a></p>
<p>${page.organizationWide ? "This app would like to, for your organization:" : "This app would like to:"}</p>
<ul>
${items}
</ul>
<form method="post" action="${escapeHtml(page.action)}">
${hidden("flow", page.flowId)}
${
  page.offerOrganizationConsent
    ? `<div class="check"><input id="consent_for_org" name="consent_for_org" type="checkbox" value="true"><label for="consent_for_org">Consent on behalf of your organization</label></div>`
    : ""
}
<p class="small">Accepting these permissions means that you allow this app to use the data of ${who} as specified in their terms of service and privacy statement.</p>
<div class="actions">
<button class="secondary" type="submit" name="action" value="cancel">Cancel</button>
<button class="primary" type="submit" name="action" value="accept">Accept</button>
</div>
</form>`,
  );
}

export type NeedAdminApprovalPage = {
  action: string;
  switchHref: string;
  flowId: string;
  appName: string;
  username: string;
  detail: string;
};

export function renderNeedAdminApprovalPage(page: NeedAdminApprovalPage): string {
  return layout(
    "Need admin approval",
    `<h1>Need admin approval</h1>
<p><strong>${escapeHtml(page.appName)}</strong> needs permission to access resources in your organization that only an admin can grant. Please ask an admin to grant permission to this app before you can use it.</p>
<p class="small" role="alert">${escapeHtml(page.detail)}</p>
<p class="small">Signed in as ${escapeHtml(page.username)}. Have an admin account? <a href="${escapeHtml(page.switchHref)}">Sign in with that account</a></p>
<form method="post" action="${escapeHtml(page.action)}">
${hidden("flow", page.flowId)}
<div class="actions"><button class="secondary" type="submit" name="action" value="cancel">Return to the application without granting consent</button></div>
</form>`,
  );
}

export function renderErrorPage(message: string): string {
  return layout(
    "Sign in to your account",
    `<h1>Sorry, but we're having trouble signing you in.</h1>
<p class="error" role="alert">${escapeHtml(message)}</p>`,
  );
}

export function renderSignedOutPage(): string {
  return layout(
    "Sign out",
    `<h1>You signed out of your account</h1><p>It's a good idea to close all browser windows.</p>`,
  );
}

/** response_mode=form_post (OAuth 2.0 Form Post Response Mode): the browser POSTs the result. */
export function renderFormPost(action: string, params: Record<string, string>): string {
  const inputs = Object.entries(params)
    .map(([name, value]) => hidden(name, value))
    .join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Working...</title></head>
<body onload="document.forms[0].submit()">
<form method="post" action="${escapeHtml(action)}">
${inputs}
<noscript><button type="submit">Continue</button></noscript>
</form>
</body></html>`;
}

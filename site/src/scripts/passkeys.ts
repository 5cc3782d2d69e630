/**
 * Passkeys in the browser, for /sign-in and /account only: Better Auth's passkey
 * endpoints (`/api/auth/passkey/*`) and @simplewebauthn/browser for the WebAuthn
 * calls. Its buttons come from `<template>`s, so without this script (or without
 * WebAuthn in the browser) the page shows none and password sign-in stays as it is.
 */
import {
  browserSupportsWebAuthn,
  browserSupportsWebAuthnAutofill,
  startAuthentication,
  startRegistration,
  WebAuthnAbortService,
} from "@simplewebauthn/browser";

const AUTH = "/api/auth/passkey";

async function call(path: string, init?: RequestInit) {
  const response = await fetch(`${AUTH}${path}`, {
    credentials: "same-origin",
    headers: {
      accept: "application/json",
      ...(init?.body ? { "content-type": "application/json" } : {}),
    },
    ...init,
  });
  const body: unknown = await response.json().catch(() => null);
  return { ok: response.ok, status: response.status, body };
}

const CANCELLED = "The passkey request was cancelled or timed out.";

function cancelled(error: unknown) {
  return (
    error instanceof Error && (error.name === "NotAllowedError" || error.name === "AbortError")
  );
}

/** Shows one template's content in place of itself, once, and drops the line that says it needs this script. */
function reveal(template: HTMLTemplateElement): HTMLElement | null {
  const content = template.content.firstElementChild?.cloneNode(true);
  if (!(content instanceof HTMLElement)) return null;
  template.replaceWith(content);
  document.getElementById(`${template.id}-fallback`)?.remove();
  return content;
}

function say(region: HTMLElement | null, message: string) {
  if (region) region.textContent = message;
}

/** The autofill request's options call, which the button waits out so its own challenge stays the live one. */
let autofillOptions: Promise<unknown> = Promise.resolve();
let buttonUsed = false;

async function signIn(region: HTMLElement | null, autofill: boolean) {
  if (!autofill) await autofillOptions.catch(() => {});
  const pending = call("/generate-authenticate-options");
  if (autofill) autofillOptions = pending;
  const options = await pending;
  // The button started its own request meanwhile: this one's challenge is no longer live.
  if (autofill && buttonUsed) return;
  if (!options.ok) return say(region, "Passkey sign-in is not available right now. Try again.");
  let response: unknown;
  try {
    response = await startAuthentication({
      optionsJSON: options.body as Parameters<typeof startAuthentication>[0]["optionsJSON"],
      useBrowserAutofill: autofill,
    });
  } catch (error) {
    // A cancelled autofill request is replaced by the button's; say nothing.
    if (!autofill) {
      say(region, cancelled(error) ? CANCELLED : "This browser could not use a passkey.");
    }
    return;
  }
  const verified = await call("/verify-authentication", {
    method: "POST",
    body: JSON.stringify({ response }),
  });
  if (verified.ok) {
    window.location.assign("/todos");
    return;
  }
  say(
    region,
    "That passkey is not recognised here. Sign in with your password, or try another passkey.",
  );
}

function setUpSignIn(template: HTMLTemplateElement) {
  const part = reveal(template);
  const button = part?.querySelector("button");
  const region = document.getElementById("passkey-sign-in-error");
  button?.addEventListener("click", () => {
    buttonUsed = true;
    say(region, "");
    void signIn(region, false);
  });
  // Autofill asks Better Auth for a challenge (a cookie and a stored row), so only once
  // the person is at the email field, not on every view of the page.
  const email = document.querySelector<HTMLInputElement>('input[autocomplete~="webauthn"]');
  const offerInAutofill = () => {
    void browserSupportsWebAuthnAutofill().then((available) => {
      if (available && !buttonUsed) void signIn(region, true);
    });
  };
  if (email === document.activeElement) offerInAutofill();
  else email?.addEventListener("focus", offerInAutofill, { once: true });
}

async function addPasskey(form: HTMLFormElement, region: HTMLElement | null) {
  const name = String(new FormData(form).get("passkey-name") ?? "").trim();
  if (name === "") return say(region, "Give the passkey a name, such as the device it is on.");
  const options = await call("/generate-register-options");
  if (!options.ok) {
    return say(
      region,
      // Better Auth asks for a session made in the last day (SESSION_NOT_FRESH).
      options.status === 403
        ? "For your safety, sign out and sign in again before adding a passkey."
        : "A passkey can't be added right now. Try again.",
    );
  }
  let response: unknown;
  try {
    response = await startRegistration({
      optionsJSON: options.body as Parameters<typeof startRegistration>[0]["optionsJSON"],
    });
  } catch (error) {
    return say(region, cancelled(error) ? CANCELLED : "This browser could not make a passkey.");
  }
  const saved = await call("/verify-registration", {
    method: "POST",
    body: JSON.stringify({ response, name }),
  });
  if (saved.ok) {
    window.location.assign("/account?passkey-added");
    return;
  }
  say(region, "The passkey could not be saved. Try again.");
}

function setUpAccount(template: HTMLTemplateElement) {
  const form = reveal(template);
  if (!(form instanceof HTMLFormElement)) return;
  const region = document.getElementById("passkey-add-error");
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    say(region, "");
    WebAuthnAbortService.cancelCeremony();
    void addPasskey(form, region);
  });
}

if (browserSupportsWebAuthn()) {
  const signInTemplate = document.getElementById("passkey-sign-in");
  if (signInTemplate instanceof HTMLTemplateElement) setUpSignIn(signInTemplate);
  const addTemplate = document.getElementById("passkey-add");
  if (addTemplate instanceof HTMLTemplateElement) setUpAccount(addTemplate);
}

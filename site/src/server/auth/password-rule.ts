/**
 * The rule for a new password (sign-up, change, reset), after NIST SP 800-63B rev. 4:
 * 15 to 128 characters (Unicode code points: any character, spaces too), no
 * composition rules, not in a list of common passwords, not containing the
 * person's email address (nor its local part, when that has 4 characters or more).
 * Better Auth's limits, the hooks that refuse a password, the form messages and
 * the hints all read this module. Passwords set under older rules still sign in.
 */
export const PASSWORD_MIN_LENGTH = 15;
export const PASSWORD_MAX_LENGTH = 128;
/** Better Auth counts UTF-16 units; a code point is at most 2 of them. */
export const PASSWORD_MAX_UNITS = PASSWORD_MAX_LENGTH * 2;
/** A local part this long or longer is refused inside a password, like the whole address. */
const LOCAL_PART_MIN = 4;

/** Why a new password is refused, as the Better Auth error code every form understands. */
export type PasswordProblem =
  | "PASSWORD_TOO_SHORT"
  | "PASSWORD_TOO_LONG"
  | "PASSWORD_TOO_COMMON"
  | "PASSWORD_CONTAINS_EMAIL";

/** The hint under every New password input. */
export const PASSWORD_HINT = `${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters. Spaces and any characters are welcome; a few unrelated words work well. Not a common password, and not your email address.`;

/** Each problem in plain words, as the forms show it. */
export const PASSWORD_MESSAGES: Record<PasswordProblem | "PASSWORD_EMPTY", string> = {
  PASSWORD_EMPTY: `Choose a password of at least ${PASSWORD_MIN_LENGTH} characters.`,
  PASSWORD_TOO_SHORT: `Password too short: use at least ${PASSWORD_MIN_LENGTH} characters.`,
  PASSWORD_TOO_LONG: `Password too long: use at most ${PASSWORD_MAX_LENGTH} characters.`,
  PASSWORD_TOO_COMMON:
    "That password is too common: it is on a list of passwords that attackers try first. Choose another one, for example a few unrelated words.",
  PASSWORD_CONTAINS_EMAIL: "That password contains your email address. Choose one that does not.",
};

/** Length in characters (code points), not UTF-16 units. */
export const passwordLength = (password: string): number => [...password].length;

/** True when a password is shorter than the rule asks of a new one (an older password). */
export const isShortPassword = (password: string): boolean =>
  passwordLength(password) < PASSWORD_MIN_LENGTH;

let common: Promise<Set<string>> | undefined;

/** The common-password list of @zxcvbn-ts/language-common, loaded on first use. */
function commonPasswords(): Promise<Set<string>> {
  common ??= import("@zxcvbn-ts/language-common/dist/passwords.json.mjs").then(
    (module: { default: string[] }) => new Set(module.default),
  );
  return common;
}

/**
 * What is wrong with `password` as a new password for the account `email`, or
 * undefined when it may be used.
 */
export async function passwordProblem(
  password: string,
  email: string,
): Promise<PasswordProblem | undefined> {
  const length = passwordLength(password);
  if (length < PASSWORD_MIN_LENGTH) return "PASSWORD_TOO_SHORT";
  if (length > PASSWORD_MAX_LENGTH) return "PASSWORD_TOO_LONG";
  const lower = password.toLowerCase();
  const address = email.trim().toLowerCase();
  const local = address.split("@")[0] ?? "";
  if (address !== "" && lower.includes(address)) return "PASSWORD_CONTAINS_EMAIL";
  if (local.length >= LOCAL_PART_MIN && lower.includes(local)) return "PASSWORD_CONTAINS_EMAIL";
  if ((await commonPasswords()).has(lower)) return "PASSWORD_TOO_COMMON";
  return undefined;
}

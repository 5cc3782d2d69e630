import { defineMiddleware } from "astro:middleware";
import { ConfigError } from "../server/config.server.ts";
import { plainPage } from "../server/http/plain-page.server.ts";

/**
 * What a log line says of an error: its class and, when it has one, its code;
 * never its message, which may carry what a person sent or what a query held.
 */
export function errorFields(error: unknown): { error: string; code?: string } {
  if (!(error instanceof Error)) return { error: "unknown" };
  const code: unknown = (error as { code?: unknown }).code;
  const usable = typeof code === "string" || typeof code === "number";
  return { error: error.name, ...(usable ? { code: String(code) } : {}) };
}

/** A failure anywhere below becomes a logged 500 page that tells nothing of the cause. */
export const errorPage = defineMiddleware(async (_context, next) => {
  try {
    return await next();
  } catch (error) {
    return failurePage(error);
  }
});

function failurePage(error: unknown): Response {
  if (error instanceof ConfigError) {
    console.error(JSON.stringify({ event: "misconfigured", message: error.message }));
    return plainPage(
      500,
      "The site is not set up correctly",
      "Its settings are incomplete, so it is not accepting requests. Please try again later.",
    );
  }
  console.error(JSON.stringify({ event: "error", ...errorFields(error) }));
  return plainPage(
    500,
    "Something went wrong",
    "We could not finish that. Please try again in a moment.",
  );
}

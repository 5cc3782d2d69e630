import { defineMiddleware } from "astro:middleware";
import { ConfigError } from "../server/config.server.ts";
import { plainPage } from "../server/http/plain-page.server.ts";

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
  console.error(
    JSON.stringify({
      event: "error",
      error: error instanceof Error ? error.name : "unknown",
      message: error instanceof Error ? error.message : String(error),
    }),
  );
  return plainPage(
    500,
    "Something went wrong",
    "We could not finish that. Please try again in a moment.",
  );
}

import { defineMiddleware } from "astro:middleware";
import { ConfigError } from "../server/config.server.ts";
import { errorLogLine } from "../server/error-log.server.ts";
import { plainPage } from "../server/http/plain-page.server.ts";
import type { Trace } from "../server/trace.server.ts";

/** A failure anywhere below becomes a logged 500 page that tells nothing of the cause. */
export const errorPage = defineMiddleware(async (context, next) => {
  try {
    return await next();
  } catch (error) {
    return failurePage(error, context.locals.trace);
  }
});

function failurePage(error: unknown, trace: Trace | undefined): Response {
  if (error instanceof ConfigError) {
    // A ConfigError's message names the setting and the rule, never its value.
    console.error(
      JSON.stringify({
        event: "misconfigured",
        requestId: trace?.requestId,
        traceId: trace?.traceId,
        message: error.message,
      }),
    );
    return plainPage(
      500,
      "The site is not set up correctly",
      "Its settings are incomplete, so it is not accepting requests. Please try again later.",
    );
  }
  console.error(errorLogLine("error", error, trace));
  return plainPage(
    500,
    "Something went wrong",
    "We could not finish that. Please try again in a moment.",
  );
}

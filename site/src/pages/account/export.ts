import type { APIRoute } from "astro";
import { requestTodoApi } from "../../server/api/request-api.server.ts";
import { SignedOutError } from "../../server/api/todo-api.server.ts";
import { ApiUnavailableError } from "../../server/api/transport.server.ts";
import { requestAuth } from "../../server/auth/request-auth.server.ts";
import { endSession } from "../../server/auth/session.server.ts";
import { plainPage } from "../../server/http/plain-page.server.ts";
import { redirectWithCookies } from "../../server/http/redirect.server.ts";

const FORMATS = new Set(["json", "csv"] as const);
type Format = "json" | "csv";
const isFormat = (value: string | null): value is Format => FORMATS.has(value as Format);

/** The headers of the API's answer a download passes on; nothing else of it. */
const PASSED_ON = ["content-type", "content-disposition"];

/**
 * **Download my todos** (`/account/export?format=json|csv`): the API's export of the
 * signed-in person's todos, streamed through as it comes, as an attachment. A plain
 * link, so it works without JavaScript; signed-out people are sent to sign in first.
 */
export const GET: APIRoute = async ({ locals, cookies, url, request, redirect }) => {
  const { tokens } = locals;
  if (!tokens) return redirect("/sign-in");
  const format = url.searchParams.get("format");
  if (!isFormat(format) || [...url.searchParams.keys()].some((key) => key !== "format")) {
    return plainPage(400, "No such download", "Choose JSON or CSV on your account page.");
  }
  try {
    const answer = await requestTodoApi(locals, cookies, tokens, { streaming: true }).exportAll(
      format,
    );
    const headers = new Headers({ "Cache-Control": "no-store" });
    for (const name of PASSED_ON) {
      const value = answer.headers.get(name);
      if (value !== null) headers.set(name, value);
    }
    return new Response(answer.body, { status: 200, headers });
  } catch (error) {
    if (error instanceof SignedOutError) {
      return redirectWithCookies("/sign-in?ended", await endSession(requestAuth(locals), request));
    }
    if (!(error instanceof ApiUnavailableError)) throw error;
    const page = plainPage(
      error.status,
      "Your todos can't be downloaded right now",
      "The todo service did not answer. Please try again in a moment.",
    );
    if (error.retryAfter) page.headers.set("Retry-After", error.retryAfter);
    return page;
  }
};

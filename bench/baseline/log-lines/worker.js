/**
 * What one request log line costs workerd: `?n=` lines, each shaped like the API's
 * (`worker/src/log.ts`), written with `console.log` before a fixed answer.
 */
export default {
  fetch(request) {
    const lines = Number(new URL(request.url).searchParams.get("n") ?? 0);
    for (let i = 0; i < lines; i++) {
      console.log(
        JSON.stringify({
          event: "request",
          requestId: crypto.randomUUID(),
          method: "GET",
          route: "/api/todos",
          status: 200,
          durationMs: 1.23,
        }),
      );
    }
    return new Response("ok");
  },
};

/**
 * The platform's limit: a bare Worker that answers every request with a fixed JSON
 * body (BODY, the API's own 50-item list response) and the same kind of headers.
 */
export default {
  fetch(_request, env) {
    return new Response(env.BODY, {
      headers: {
        "Content-Type": "application/json; charset=utf-8",
        "Cache-Control": "no-store",
      },
    });
  },
};

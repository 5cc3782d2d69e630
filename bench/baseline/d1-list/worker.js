/**
 * The platform's limit for the API's D1-backed routes: a bare Worker that runs exactly
 * the API's statements with D1's own API (no router, validation, ORM, auth or logging),
 * on a session as the API opens one:
 * - GET: the list's batch, a page of 50 and the person's counts;
 * - POST: the create's INSERT … RETURNING.
 * What the API adds on top of this is ours to make faster; this part is D1's.
 */
const PAGE = `select "seq", "id", "title", "description", "completed", "created_at", "updated_at" from "todos" where "todos"."user_id" = ? order by "todos"."seq" desc limit ?`;
const COUNTS = `select "active", "completed" from "todo_counts" where "todo_counts"."user_id" = ?`;
const INSERT = `insert into "todos" ("seq", "id", "user_id", "title", "description", "completed", "created_at", "updated_at") values (null, ?, ?, ?, ?, ?, ?, ?) returning "seq", "id", "title", "description", "completed", "created_at", "updated_at"`;

const todo = ({ seq: _seq, created_at, updated_at, completed, ...row }) => ({
  ...row,
  completed: completed === 1,
  createdAt: created_at,
  updatedAt: updated_at,
});
const headers = { "Cache-Control": "no-store" };

export default {
  async fetch(request, env) {
    const db = env.DB.withSession("first-unconstrained");
    if (request.method === "POST") {
      const { title, description } = await request.json();
      const now = new Date().toISOString();
      const { results } = await db
        .prepare(INSERT)
        .bind(crypto.randomUUID(), env.WRITER_ID, title, description, 0, now, now)
        .all();
      return Response.json(todo(results[0]), { status: 201, headers });
    }
    const [page, counts] = await db.batch([
      db.prepare(PAGE).bind(env.USER_ID, 51),
      db.prepare(COUNTS).bind(env.USER_ID),
    ]);
    const items = page.results.slice(0, 50).map(todo);
    const { active = 0, completed = 0 } = counts.results[0] ?? {};
    return Response.json({ items, nextCursor: null, counts: { active, completed } }, { headers });
  },
};

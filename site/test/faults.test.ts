import { describe, expect, it } from "vitest";
import { useStackBehindApiDouble } from "./api-double.ts";
import { createUser } from "./people.ts";

/**
 * The deadline, shortened for this stack so the test does not wait 5 s twice
 * (deployed it is always 5 s: deployed-config.test.ts checks the setting).
 */
const DEADLINE_MS = 1500;
const on = useStackBehindApiDouble({ API_DEADLINE_MS: String(DEADLINE_MS) });

/** The contract's bound: the deadline, then an answer within a second. */
const ANSWER_WITHIN_MS = DEADLINE_MS + 1000;

async function timedRequest(send: () => Promise<Response>) {
  const started = Date.now();
  const response = await send();
  const html = await response.text();
  return { response, html, ms: Date.now() - started };
}

const keyIn = (html: string) => /name="idempotency-key" value="([^"]+)"/.exec(html)?.[1];

describe("when the API stops answering", () => {
  it("the todos page and an add answer in plain words, and resending the add later adds it once", async () => {
    const { browser } = await createUser(on.stack);
    const form = await browser.get("/todos");
    const key = keyIn(await form.text());
    expect(key).toMatch(/^[0-9a-f-]{36}$/);

    on.api.hang = true;
    const read = await timedRequest(() => browser.get("/todos"));
    expect(read.ms).toBeGreaterThanOrEqual(DEADLINE_MS);
    expect(read.ms).toBeLessThan(ANSWER_WITHIN_MS);
    expect(read.response.status).toBe(504);
    expect(read.html).toContain(
      "did not answer in time, so your todos can&#39;t be shown right now",
    );

    const fields = { intent: "add", title: "Pay rent", "idempotency-key": key ?? "" };
    const write = await timedRequest(() => browser.post("/todos", fields));
    expect(write.ms).toBeGreaterThanOrEqual(DEADLINE_MS);
    expect(write.ms).toBeLessThan(ANSWER_WITHIN_MS);
    expect(write.response.status).toBe(504);
    expect(write.html).toContain("That change could not be confirmed");
    expect(write.html).toContain("Reload the page to check");
    expect(write.html).toContain("Sending it again will not duplicate it");
    expect(write.html).toContain('value="Pay rent"');
    expect(keyIn(write.html)).toBe(key);

    // The API comes back; the person sends the same form again.
    on.api.hang = false;
    const resent = await browser.post("/todos", fields);
    expect(resent.status).toBe(303);
    const html = await (await browser.get("/todos")).text();
    expect(html.match(/aria-label="Edit Pay rent"/g)).toHaveLength(1);
    expect(html).toContain("1 item left");
  });

  it("says the API is busy when it answers 503, with its Retry-After", async () => {
    const { browser } = await createUser(on.stack);
    on.api.busy = true;
    try {
      const read = await browser.get("/todos");
      expect(read.status).toBe(503);
      expect(read.headers.get("retry-after")).toBe("1");
      expect(await read.text()).toContain(
        "The todo service is busy, so your todos can&#39;t be shown",
      );

      const write = await browser.post("/todos", { intent: "add", title: "Later" });
      expect(write.status).toBe(503);
      const html = await write.text();
      expect(html).toContain("That change could not be confirmed: the todo service is busy");
      expect(html).toContain('value="Later"');
    } finally {
      on.api.busy = false;
    }
  });
});

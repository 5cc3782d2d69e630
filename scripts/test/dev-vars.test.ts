import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readDevVars, setDevVars } from "../lib/dev-vars.ts";

const dir = mkdtempSync(path.join(tmpdir(), "dev-vars-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function read(body: string) {
  const file = path.join(dir, `${Math.random().toString(36).slice(2)}.dev.vars`);
  writeFileSync(file, body);
  return readDevVars(file);
}

// The expected values are what wrangler's dotenv parser gives for the same lines.
describe("readDevVars", () => {
  it("reads values the way wrangler does: trailing comments, quotes and export", () => {
    expect(read('A=plain # comment\nB="q" # comment\nexport C=3\n')).toEqual({
      A: "plain",
      B: "q",
      C: "3",
    });
  });

  it("keeps a # inside quotes, expands \\n in double quotes and keeps = in values", () => {
    expect(read("# a comment line\nD='x # y'\nE=\"a\\nb\"\n  F = spaced  \nG=\nH=a=b\n")).toEqual({
      D: "x # y",
      E: "a\nb",
      F: "spaced",
      G: "",
      H: "a=b",
    });
  });

  it("reads CRLF files and answers {} for a missing file", () => {
    expect(read("A=1\r\nB=2\r\n")).toEqual({ A: "1", B: "2" });
    expect(readDevVars(path.join(dir, "missing.dev.vars"))).toEqual({});
  });
});

describe("setDevVars", () => {
  it("replaces a line written with export rather than adding a second one", () => {
    const file = path.join(dir, "set.dev.vars");
    writeFileSync(file, "export A=1\nB=2\n");
    setDevVars(file, { A: "3" });
    expect(readFileSync(file, "utf8")).toBe('A="3"\nB=2\n');
  });
});

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { loadSpecFile, loadSpecText, validateSpec, type Experiment } from "../packages/runner/src/spec/index.js";

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => join(dir, f))
    .sort();
}

describe("every spec in specs/ validates", () => {
  const files = yamlFiles("specs");
  it.each(files.length > 0 ? files : ["(none yet)"])("%s", (file) => {
    if (file === "(none yet)") return;
    const { spec } = loadSpecFile(file);
    expect(spec.name.length).toBeGreaterThan(0);
  });
});

describe("test fixtures", () => {
  const files = yamlFiles("test/fixtures/specs");

  it("good-* load and bad-* fail", () => {
    expect(files.length).toBeGreaterThanOrEqual(5);
    for (const file of files) {
      const name = file.split("/").pop()!;
      if (name.startsWith("good-")) expect(() => loadSpecFile(file), file).not.toThrow();
      else expect(() => loadSpecFile(file), file).toThrow();
    }
  });
});

/** The ```yaml blocks of a Markdown file. */
function yamlBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```yaml\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
}

const SECTIONS: Experiment[] = ["gradcheck", "compare", "sweep"];

/** A fragment (just `training:` …) goes into a minimal spec of the experiment its sections call for. */
function asSpec(block: string): Record<string, unknown> {
  const fragment = parse(block) as Record<string, unknown>;
  if ("experiment" in fragment) return fragment;
  const experiment = SECTIONS.find((s) => s in fragment) ?? "train";
  return { experiment, data: { source: "synthetic" }, ...fragment };
}

describe("docs/spec-reference.md examples validate", () => {
  const blocks = yamlBlocks(readFileSync("docs/spec-reference.md", "utf8"));

  it("has full examples of every experiment kind, and fragments", () => {
    const kinds = blocks.map((b) => /^experiment: (\w+)$/m.exec(b)?.[1]).filter((k) => k !== undefined);
    expect(new Set(kinds)).toEqual(new Set(["train", "gradcheck", "compare", "sweep"]));
    expect(blocks.length).toBeGreaterThanOrEqual(12);
  });

  it.each(blocks.map((b, i) => [i, b] as const))("block %i", (_, block) => {
    if (/^experiment:/m.test(block)) expect(() => loadSpecText(block, "docs/spec-reference.md")).not.toThrow();
    else expect(() => validateSpec(asSpec(block), "docs/spec-reference.md")).not.toThrow();
  });
});

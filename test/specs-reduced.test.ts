import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Rng } from "@gradspec/autograd";
import { main, type RunSummary } from "@gradspec/runner";

/**
 * Every spec in specs/, reduced to tiny slices with --set overrides, on tiny CIFAR-10 batches made
 * here (random pixels in the official record format), so that this runs with or without the data.
 */
const root = new URL("..", import.meta.url).pathname;
const specDirs = ["specs", "specs/report", "specs/beyond"];
const specs = specDirs.flatMap((dir) =>
  readdirSync(join(root, dir))
    .filter((f) => f.endsWith(".yaml"))
    .map((f) => join(dir, f)),
);

const dataDir = mkdtempSync(join(tmpdir(), "gradspec-tiny-cifar-"));
const outDir = mkdtempSync(join(tmpdir(), "gradspec-reduced-"));
let savedData: string | undefined;

beforeAll(() => {
  const rng = new Rng(5);
  for (const batch of ["data_batch_1", "data_batch_2", "data_batch_3", "data_batch_4", "data_batch_5", "test_batch"]) {
    const records = 300;
    const bytes = new Uint8Array(records * 3073);
    for (let r = 0; r < records; r++) {
      bytes[r * 3073] = r % 10;
      for (let j = 1; j < 3073; j++) bytes[r * 3073 + j] = rng.int(256);
    }
    writeFileSync(join(dataDir, `${batch}.bin`), bytes);
  }
  savedData = process.env.GRADSPEC_DATA;
  process.env.GRADSPEC_DATA = dataDir;
});

afterAll(() => {
  if (savedData === undefined) delete process.env.GRADSPEC_DATA;
  else process.env.GRADSPEC_DATA = savedData;
});

function reductions(specText: string): string[] {
  const experiment = /^experiment:\s*(\w+)/m.exec(specText)?.[1];
  const common = ["data.limit.train=120", "data.limit.validation=40", "data.limit.test=40", "training.epochs=1"];
  if (specText.includes("source: cifar10") && /validation: 1000/.test(specText)) common.push("data.validation=100");
  switch (experiment) {
    case "gradcheck":
      return [...common, "gradcheck.batch=8", "gradcheck.mode=random", "gradcheck.directions=2"];
    case "sweep": {
      const stages = (specText.match(/^\s+- (\{ )?name:/gm) ?? []).length;
      const perStage = Array.from({ length: stages }, (_, i) => [`sweep.stages.${i}.trials=2`, `sweep.stages.${i}.epochs=1`]).flat();
      return [...common, ...perStage, "sweep.final={top: 1, set: {data.validation: 100, training.epochs: 1}}"];
    }
    default:
      return common;
  }
}

describe("every spec runs reduced (tiny slices, one epoch)", () => {
  it("finds the specs", () => {
    expect(specs.length).toBeGreaterThanOrEqual(12);
  });
  for (const spec of specs) {
    it(spec, async () => {
      const text = readFileSync(join(root, spec), "utf8");
      const out = join(outDir, basename(spec, ".yaml"));
      let stderr = "";
      const code = await main(["run", join(root, spec), "--out", out, "--quiet", ...reductions(text).flatMap((s) => ["--set", s])], {
        out: () => undefined,
        err: (t) => void (stderr += t),
      });
      expect(stderr).toBe("");
      const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8")) as RunSummary;
      expect(summary.name).toBe(/^name:\s*(\S+)/m.exec(text)?.[1]);
      // A reduced run may diverge (the report's η = 0.8 without batch norm does), but it must finish.
      expect(["completed", "diverged"]).toContain(summary.status);
      expect(code).toBe(summary.status === "completed" ? 0 : 1);
      expect(readFileSync(join(out, "tables.md"), "utf8").length).toBeGreaterThan(20);
      const page = readFileSync(join(out, "report.html"), "utf8");
      expect(page).toContain(`<title>${summary.name}</title>`);
      expect(page).toContain("<table");
    });
  }
});

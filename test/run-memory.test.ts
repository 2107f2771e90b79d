import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "@gradspec/runner";
import { checkRunMemory, estimateRunMemory } from "../packages/runner/src/run/memory-estimate.js";
import { loadSpecFile, loadSpecText } from "../packages/runner/src/spec/index.js";
import { capture } from "./helpers/capture.js";

const GIB = 1024 ** 3;
const dir = mkdtempSync(join(tmpdir(), "gradspec-memory-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("memory estimate before a run", () => {
  it("is in the right range for the report's network and grows with what sizes it", () => {
    const report = loadSpecFile("specs/report/s4-eta-0.03.yaml").spec;
    const estimate = estimateRunMemory(report);
    // Six CIFAR-10 batches (184 MB) + 3072 → 50 → 10 parameters and steps + two 128 MiB arenas.
    expect(estimate.bytes).toBeGreaterThan(184e6 + 256 * 1024 ** 2);
    expect(estimate.bytes).toBeLessThan(1 * GIB);
    const wide = loadSpecText("experiment: train\ndata: {source: cifar10}\nmodel: {hidden: [100000]}\n", "wide.yaml").spec;
    expect(estimateRunMemory(wide).bytes - estimate.bytes).toBeGreaterThan(3072 * 100000 * 8 * 4);
    expect(checkRunMemory(report)).toEqual([]);
  });

  it("a run that cannot fit is refused at the key that sizes it, naming the need and the machine", () => {
    const spec = (yaml: string) => loadSpecText(`experiment: train\n${yaml}`, "big.yaml").spec;
    const [hidden] = checkRunMemory(spec("data: {source: cifar10}\nmodel: {hidden: [1000000]}\n"), 16 * GIB);
    expect(hidden?.path).toEqual(["model", "hidden", 0]);
    expect(hidden?.message).toMatch(/^the run needs about \d+\.\d GiB \(parameters \(the largest layer: 3072 × 1000000 weights\): \d+\.\d GiB\), more than the 16\.0 GiB this machine has; use fewer units$/);
    const [layers] = checkRunMemory(spec("data: {source: cifar10}\nmodel:\n  layers: [{type: linear, units: 20}, {type: relu}, {type: linear, units: 900000}, {type: relu}]\n"), 4 * GIB);
    expect(layers?.path).toEqual(["model", "layers", 2, "units"]);
    const [batch] = checkRunMemory(spec("data: {source: synthetic, synthetic: {dim: 100000}}\ntraining: {batchSize: 100000}\n"), 16 * GIB);
    expect(batch?.path).toEqual(["training", "batchSize"]);
    const [data] = checkRunMemory(spec("data: {source: synthetic, synthetic: {train: 10000000, dim: 1000}}\n"), 16 * GIB);
    expect(data?.path).toEqual(["data", "synthetic", "train"]);
  });

  it("gradspec run refuses it with file:line:col and exit 2 before any folder or data is touched", async () => {
    const file = join(dir, "huge.yaml");
    // The data folder does not exist: the refusal comes before anything reads it.
    writeFileSync(file, "experiment: train\ndata: {source: cifar10, dir: no-such-folder}\nmodel:\n  hidden: [1000000]\n");
    const out = join(dir, "huge-run");
    const io = capture();
    const code = await main(["run", file, "--out", out], io);
    expect(code).toBe(2);
    expect(io.stderr()).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:4:12: model\\.hidden\\.0: the run needs about \\d+\\.\\d GiB .* use fewer units\\n$`));
    expect(existsSync(out)).toBe(false);
  });
});

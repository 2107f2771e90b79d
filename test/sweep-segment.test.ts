import { describe, expect, it } from "vitest";
import { useBestBackend } from "@gradspec/autograd";
import { deriveTrainSpec, loadSpecText } from "@gradspec/runner";
import { DataCache } from "../packages/runner/src/data/data-cache.js";
import { DataError } from "../packages/runner/src/data/errors.js";
import { runSegment, type SegmentJob } from "../packages/runner/src/sweep/segment.js";
import { SYNTHETIC_SECTIONS } from "./helpers/synthetic-spec.js";

useBestBackend();
const { raw } = loadSpecText(`experiment: train\n${SYNTHETIC_SECTIONS}`, "segment.yaml");
const spec = deriveTrainSpec(raw, { "training.epochs": 4, "training.learningRate": 0.07 }, "segment test");
const job = (from: number, until: number): SegmentJob => ({ id: "1-0", stage: 1, index: 0, params: {}, spec, metric: "validation.loss", from, until, final: false });

describe("a trial in segments", () => {
  const data = new DataCache(".");
  const whole = runSegment(job(0, 4), data).result;

  it("0→2 then 2→4 from the saved state is 0→4, bit for bit; without the state, or with a broken one, the epochs are trained again to the same numbers", () => {
    expect(whole.status).toBe("completed");
    const first = runSegment(job(0, 2), data);
    expect(first.result.status).toBe("paused");
    expect(first.result.metric).toBeNaN();
    expect(first.checkpoint).toBeInstanceOf(Uint8Array);
    const rest = runSegment(job(2, 4), data, first.checkpoint);
    expect(rest.result.recomputed).toBe(0);
    expect([...first.result.curve, ...rest.result.curve]).toEqual(whole.curve);
    expect(rest.result.metric).toBe(whole.metric);

    const garbage = new Uint8Array(first.checkpoint?.length ?? 10).fill(7);
    for (const checkpoint of [undefined, garbage, runSegment(job(0, 1), data).checkpoint]) {
      const again = runSegment(job(2, 4), data, checkpoint);
      expect(again.result.recomputed).toBe(2);
      expect(again.result.curve).toEqual(rest.result.curve);
      expect(again.result.metric).toBe(whole.metric);
    }
  });

  it("reports every epoch while it runs, and a spec that cannot train is a failed result, not an exception", () => {
    const epochs: number[] = [];
    runSegment(job(1, 3), data, undefined, (r) => void epochs.push(r.epoch));
    expect(epochs).toEqual([2, 3]);
    const model = { input: spec.model.input, output: spec.model.output, init: spec.model.init, layers: [{ type: "nope" }] };
    const broken: SegmentJob = { ...job(0, 1), spec: { ...spec, model } };
    const failed = runSegment(broken, data).result;
    expect(failed.status).toBe("failed");
    expect(failed.message).toMatch(/nope/);
  });

  it("missing data is thrown as a DataError (it concerns every trial alike)", () => {
    const cifar = { ...job(0, 1), spec: { ...spec, data: { source: "cifar10", dir: "/no/such/folder", format: "auto", train: ["data_batch_1"], validation: 0, test: [], limit: {}, preprocess: "standardize" } } } as SegmentJob;
    expect(() => runSegment(cifar, data)).toThrow(DataError);
  });
});

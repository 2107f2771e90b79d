/**
 * Prints the Markdown tables of docs/REPRODUCTION.md: the report's numbers beside ours, read from
 * the run folders that `gradspec run specs/report/<name>.yaml --out <runs>/<name>` wrote.
 *
 *   npx tsx scripts/reproduction-tables.ts <runs-folder>
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { RunSummary, TrainedRun } from "@gradspec/runner";

const runs = process.argv[2] ?? "runs";

function summary(name: string): RunSummary | null {
  const file = join(runs, name, "summary.json");
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as RunSummary) : null;
}

const exp = (x: number): string => x.toExponential(3);
const pct = (x: number | undefined): string => (x === undefined ? "—" : `${(100 * x).toFixed(2)}%`);

/** The report's gradient-check tables (max, mean, variance), by layer count and λ. */
const REPORT_GRADCHECK: Record<string, Record<string, [number, number, number]>> = {
  "1-0": { b1: [7.217e-10, 2.524e-10, 5.101e-20], W1: [8.027e-7, 6.992e-9, 1.42e-15] },
  "1-0.01": { b1: [7.217e-10, 2.524e-10, 5.101e-20], W1: [1.347e-6, 1.026e-8, 5.053e-15] },
  "2-0": { b1: [2.22e-6, 1.332e-7, 2.781e-13], b2: [6.515e-9, 1.414e-9, 5.23e-18], W1: [2.588e-3, 9.967e-7, 2.009e-9], W2: [8.061e-8, 1.149e-9, 2.128e-17] },
  "2-0.01": { b1: [2.22e-6, 1.332e-7, 2.781e-13], b2: [6.515e-9, 1.414e-9, 5.23e-18], W1: [2.59e-3, 9.983e-7, 2.01e-9], W2: [5.416e-8, 1.098e-9, 1.292e-17] },
  "3-0": { b1: [2.32e-11, 6.776e-12, 3.081e-23], b2: [1.459e-12, 5.629e-13, 1.784e-25], b3: [6.474e-8, 6.701e-9, 3.743e-16], W1: [7.273e-3, 2.151e-6, 1.201e-8], W2: [6.082e-7, 3.362e-9, 4.705e-16], W3: [2.1e-8, 1.157e-9, 6.252e-18] },
  "3-0.01": { b1: [2.32e-11, 6.776e-12, 3.081e-23], b2: [1.459e-12, 5.629e-13, 1.784e-25], b3: [6.474e-8, 6.701e-9, 3.743e-16], W1: [7.243e-3, 2.145e-6, 1.192e-8], W2: [1.282e-6, 3.994e-9, 1.373e-15], W3: [2.211e-7, 3.311e-9, 3.511e-16] },
  "4-0": { b1: [3.464e-11, 7.416e-12, 5.738e-23], b2: [3.025e-12, 6.414e-13, 5.633e-25], b3: [2.512e-12, 1.027e-12, 6.755e-25], b4: [6.639e-10, 2.647e-10, 4.253e-20], W1: [4.776e-3, 1.412e-6, 5.172e-9], W2: [2.814e-7, 2.717e-9, 1.277e-16], W3: [1.425e-7, 2.551e-9, 1.082e-16], W4: [1.641e-8, 8.478e-10, 5.098e-18] },
  "4-0.01": { b1: [3.464e-11, 7.416e-12, 5.738e-23], b2: [3.025e-12, 6.414e-13, 5.633e-25], b3: [2.512e-12, 1.027e-12, 6.755e-25], b4: [6.697e-10, 2.793e-10, 4.157e-20], W1: [4.757e-3, 1.41e-6, 5.151e-9], W2: [4.24e-7, 3.087e-9, 2.447e-16], W3: [7.474e-8, 2.1e-9, 3.834e-17], W4: [1.399e-8, 1.276e-9, 8.331e-18] },
};

function gradcheckSection(): void {
  for (let k = 1; k <= 4; k++) {
    const s = summary(`s1-gradcheck-${k}layer`) ?? summary(`s1-gradcheck-${k}layer-sampled`);
    if (s?.gradcheck === undefined) {
      console.log(`\n(${k}-layer gradient check: no run yet)`);
      continue;
    }
    for (const c of s.gradcheck.cases) {
      const table = 2 * k - 1 + (c.lambda === 0 ? 0 : 1);
      const scope = c.sample === undefined ? "every element" : `${c.sample} sampled elements per parameter`;
      console.log(`\n**Table ${table}** (${k} layer${k > 1 ? "s" : ""}, λ = ${c.lambda}; ours: ${scope}, ${c.seconds.toFixed(0)} s)\n`);
      console.log("| Gradient | report max | ours max | report μ | ours μ | report σ² | ours σ² |");
      console.log("|---|---:|---:|---:|---:|---:|---:|");
      const theirs = REPORT_GRADCHECK[`${k}-${c.lambda}`] ?? {};
      const ours = new Map(c.parameters.map((p) => [p.name, p]));
      const names = [...new Set([...Object.keys(theirs), ...ours.keys()])].sort((a, b) => order(a) - order(b) || a.localeCompare(b));
      for (const name of names) {
        const t = theirs[name];
        const o = ours.get(name);
        console.log(`| ${name} | ${t ? exp(t[0]) : "—"} | ${o ? exp(o.max) : "—"} | ${t ? exp(t[1]) : "—"} | ${o ? exp(o.mean) : "—"} | ${t ? exp(t[2]) : "—"} | ${o ? exp(o.variance) : "—"} |`);
      }
    }
  }
}

/** b before W, then γ and β, as the report lists them. */
function order(name: string): number {
  return name.startsWith("b") && !name.startsWith("beta") ? 0 : name.startsWith("W") ? 1 : 2;
}

function accuracyRows(runsOf: TrainedRun[], report: Record<string, [string, string]>): void {
  console.log("| | report train | ours train | report test | ours test | ours validation | epochs run |");
  console.log("|---|---:|---:|---:|---:|---:|---:|");
  for (const v of runsOf) {
    const r = report[v.name] ?? ["—", "—"];
    const status = v.status === "diverged" ? v.message ?? "diverged" : pct(v.final.train?.accuracy);
    console.log(`| ${v.name} | ${r[0]} | ${status} | ${r[1]} | ${v.status === "diverged" ? "—" : pct(v.final.test?.accuracy)} | ${v.status === "diverged" ? "—" : pct(v.final.validation?.accuracy)} | ${Math.max(0, v.history.length - 1)} |`);
  }
}

function section4(): void {
  const report: Record<string, Record<string, [string, string]>> = {
    "0.0005": { BN: ["44.98%", "42.30%"], "no BN": ["20.51%", "21.08%"] },
    "0.03": { BN: ["57.13%", "49.67%"], "no BN": ["57.59%", "50.45%"] },
    "0.8": { BN: ["51.26%", "44.92%"], "no BN": ["N/A", "N/A"] },
  };
  for (const [eta, table] of [["0.0005", 11], ["0.03", 12], ["0.8", 13]] as const) {
    const s = summary(`s4-eta-${eta}`);
    console.log(`\n**Table ${table}** (η = ${eta}${s ? `; ours: ${s.seconds.toFixed(0)} s` : ""})\n`);
    if (s?.compare) accuracyRows(s.compare.variants, report[eta]);
    else console.log("(no run yet)");
  }
}

function finalSection(): void {
  const s = summary("s3-final");
  const report: Record<string, [string, string]> = {};
  const theirs = ["49.22%", "49.38%", "49.89%"];
  s?.compare?.variants.forEach((v, i) => (report[v.name] = ["—", theirs[i]]));
  console.log(`\n**§3.3 final networks** (20 epochs on 49,000 images${s ? `; ours: ${s.seconds.toFixed(0)} s` : ""})\n`);
  if (s?.compare) accuracyRows(s.compare.variants, report);
  else console.log("(no run yet)");
}

function otherRuns(): void {
  const overfit = summary("s1-overfit");
  if (overfit?.train) {
    const h = overfit.train.history;
    const first = h.findIndex((e) => e.trainAccuracy === 1);
    console.log(`\n**§1.5 overfitting**: report 100% training accuracy after 100 epochs; ours ${pct(overfit.train.final.train?.accuracy)}, first reached at epoch ${first} (loss ${h[h.length - 1].trainLoss.toFixed(4)}; ${overfit.seconds.toFixed(1)} s).`);
  }
  const s2 = summary("s2-loss-evolution");
  if (s2?.compare) {
    console.log(`\n**§2 loss evolution** (${s2.seconds.toFixed(0)} s)\n`);
    console.log("| | loss at epoch 0 | epoch 1 | epoch 10 | epoch 30 | validation accuracy | test accuracy |");
    console.log("|---|---:|---:|---:|---:|---:|---:|");
    for (const v of s2.compare.variants) {
      const at = (e: number) => v.history.find((x) => x.epoch === e)?.trainLoss.toFixed(4) ?? "—";
      console.log(`| ${v.name} | ${at(0)} | ${at(1)} | ${at(10)} | ${at(30)} | ${pct(v.final.validation?.accuracy)} | ${pct(v.final.test?.accuracy)} |`);
    }
  }
}

function sweepSection(): void {
  const s = summary(process.env.SWEEP_RUN ?? "s3-search");
  if (s?.sweep === undefined) {
    console.log("\n(§3 search: no run yet)");
    return;
  }
  const report: Record<string, [string, string, string][]> = {
    "fine-1": [["0.4217", "0.13718638", "1.82552225e-06"], ["0.4192", "0.12894386", "1.7233738e-05"], ["0.4180", "0.13380538", "1.08343634e-06"]],
    "fine-2": [["0.4134", "0.05282343", "6.62421401e-06"], ["0.4125", "0.06745809", "9.72563126e-05"], ["0.4122", "0.03216179", "0.00010803"]],
  };
  const table: Record<string, number> = { "fine-1": 9, "fine-2": 10 };
  for (const stage of s.sweep.stages) {
    const ok = stage.trials.filter((t) => t.status === "ok");
    console.log(`\n**${table[stage.name] ? `Table ${table[stage.name]}` : "Coarse stage"}** (${stage.name}: ${stage.trials.length} trials × ${stage.epochs} epochs; ${stage.trials.length - ok.length} diverged or failed)\n`);
    console.log("| rank | report accuracy | report η | report λ | our accuracy | our η | our λ |");
    console.log("|---:|---:|---:|---:|---:|---:|---:|");
    for (let i = 0; i < 3; i++) {
      const r = report[stage.name]?.[i] ?? ["—", "—", "—"];
      const t = ok[i];
      const eta = t?.params["training.learningRate"];
      const lambda = t?.params["training.lambda"];
      console.log(`| ${i + 1} | ${r[0]} | ${r[1]} | ${r[2]} | ${t ? t.metric.toFixed(4) : "—"} | ${eta?.toPrecision(8) ?? "—"} | ${lambda?.toPrecision(8) ?? "—"} |`);
    }
  }
  if (s.sweep.final) {
    console.log(`\n**Our search's best three, retrained on 49,000 images for 20 epochs** (whole run: ${(s.seconds / 60).toFixed(0)} min)\n`);
    accuracyRows(s.sweep.final, {});
  }
}

function beyondSection(): void {
  const s = summary(process.env.BEYOND_RUN ?? "beyond-wide-cyclic");
  if (s?.train === undefined) {
    console.log("\n(beyond: no run yet)");
    return;
  }
  const h = s.train.history;
  console.log(`\n**${s.name}**: test accuracy ${pct(s.train.final.test?.accuracy)}, validation ${pct(s.train.final.validation?.accuracy)}, training ${pct(s.train.final.train?.accuracy)} after ${h.length - 1} epochs in ${(s.seconds / 60).toFixed(1)} min.`);
}

gradcheckSection();
otherRuns();
section4();
finalSection();
sweepSection();
beyondSection();

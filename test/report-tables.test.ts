import { describe, expect, it } from "vitest";
import { formatExp, formatPercent, formatSignificant } from "../packages/runner/src/report/number-format.js";
import { accuracyTable, comparisonTable, gradcheckTable, metricsCsv, sweepTable } from "../packages/runner/src/report/tables.js";
import type { SweepTrial } from "../packages/runner/src/report/types.js";

describe("number formats", () => {
  it("prints %.3e like the report (two-digit exponents)", () => {
    expect(formatExp(7.217e-10)).toBe("7.217e-10");
    expect(formatExp(0.0025884)).toBe("2.588e-03");
    expect(formatExp(1.3469e-6)).toBe("1.347e-06");
    expect(formatExp(0)).toBe("0.000e+00");
    expect(formatExp(123456)).toBe("1.235e+05");
    expect(formatExp(1e-100)).toBe("1.000e-100");
    expect([formatExp(NaN), formatExp(Infinity), formatExp(-Infinity)]).toEqual(["NaN", "Inf", "-Inf"]);
  });

  it("prints %.8g like the report's hyper-parameters", () => {
    expect(formatSignificant(0.13718638)).toBe("0.13718638");
    expect(formatSignificant(1.7233738e-5)).toBe("1.7233738e-05");
    expect(formatSignificant(1.82552225e-6)).toBe("1.8255222e-06"); // the double is just below …225, as printf agrees
    expect(formatSignificant(0.00010803)).toBe("0.00010803");
    expect(formatSignificant(0.05282343012)).toBe("0.05282343");
    expect(formatSignificant(0.8)).toBe("0.8");
    expect(formatSignificant(12345678)).toBe("12345678");
    expect(formatSignificant(123456789)).toBe("1.2345679e+08");
    expect(formatSignificant(9.99999999e-5)).toBe("0.0001");
    expect(formatSignificant(0)).toBe("0");
    expect(formatSignificant(-2.5e-7, 3)).toBe("-2.5e-07");
  });

  it("prints percentages with 2 decimals", () => {
    expect(formatPercent(0.4498)).toBe("44.98%");
    expect(formatPercent(0.423)).toBe("42.30%");
    expect(formatPercent(1)).toBe("100.00%");
  });
});

describe("gradcheckTable", () => {
  it("lays out Table 3 of the report in the given order", () => {
    const md = gradcheckTable(
      [
        { name: "b1", max: 2.22e-6, mean: 1.332e-7, variance: 2.781e-13, worstIndex: [17, 0] },
        { name: "b2", max: 6.515e-9, mean: 1.414e-9, variance: 5.23e-18, worstIndex: [3, 0] },
        { name: "W1", max: 2.588e-3, mean: 9.967e-7, variance: 2.009e-9, worstIndex: [12, 2047] },
        { name: "W2", max: 8.061e-8, mean: 1.149e-9, variance: 2.128e-17, worstIndex: [] },
      ],
      "Table 3: λ = 0",
    );
    expect(md).toBe(
      [
        "| Gradient | Max | μ | σ² | worst index |",
        "| --- | ---: | ---: | ---: | --- |",
        "| b1 | 2.220e-06 | 1.332e-07 | 2.781e-13 | [17, 0] |",
        "| b2 | 6.515e-09 | 1.414e-09 | 5.230e-18 | [3, 0] |",
        "| W1 | 2.588e-03 | 9.967e-07 | 2.009e-09 | [12, 2047] |",
        "| W2 | 8.061e-08 | 1.149e-09 | 2.128e-17 | [] |",
        "",
        "*Table 3: λ = 0*",
        "",
      ].join("\n"),
    );
  });

  it("omits an empty caption and escapes pipes in names", () => {
    expect(gradcheckTable([{ name: "a|b", max: 1, mean: 0.5, variance: 0.25, worstIndex: [0] }])).toBe(
      "| Gradient | Max | μ | σ² | worst index |\n| --- | ---: | ---: | ---: | --- |\n| a\\|b | 1.000e+00 | 5.000e-01 | 2.500e-01 | [0] |\n",
    );
  });
});

describe("sweepTable", () => {
  const trials: SweepTrial[] = [
    { params: { eta: 0.12894386, lambda: 1.7233738e-5 }, metric: 0.4192, status: "ok" },
    { params: { eta: 0.9, lambda: 1e-6 }, metric: NaN, status: "diverged" },
    { params: { eta: 0.13718638, lambda: 1.82552225e-6 }, metric: 0.42171, status: "ok" },
    { params: { eta: 0.5, lambda: 1e-4 }, metric: 0.9, status: "failed" },
    { params: { eta: 0.13380538, lambda: 1.08343634e-6 }, metric: 0.418, status: "ok" },
    { params: { eta: 0.001, lambda: 0.00010803 }, metric: 0.2, status: "ok" },
  ];

  it("lists the top k like Table 9", () => {
    expect(sweepTable(trials, ["eta", "lambda"], 3, "Table 9: Results from first fine-search")).toBe(
      [
        "| Validation accuracy | η | λ |",
        "| ---: | ---: | ---: |",
        "| 0.4217 | 0.13718638 | 1.8255222e-06 |",
        "| 0.4192 | 0.12894386 | 1.7233738e-05 |",
        "| 0.4180 | 0.13380538 | 1.0834363e-06 |",
        "",
        "*Table 9: Results from first fine-search*",
        "",
      ].join("\n"),
    );
  });

  it("takes custom labels, keeps ties in order and shows all when k is large", () => {
    const tied: SweepTrial[] = [
      { params: { rho: 0.9 }, metric: 0.5, status: "ok" },
      { params: { rho: 0.8 }, metric: 0.5, status: "ok" },
      { params: {}, metric: 0.1, status: "ok" },
    ];
    expect(sweepTable(tied, [{ param: "rho", label: "momentum ρ" }], 10, undefined, { metricLabel: "Test accuracy", metricDecimals: 2 })).toBe(
      "| Test accuracy | momentum ρ |\n| ---: | ---: |\n| 0.50 | 0.9 |\n| 0.50 | 0.8 |\n| 0.10 | — |\n",
    );
    expect(sweepTable(tied, ["rho"], 0)).toBe("| Validation accuracy | ρ |\n| ---: | ---: |\n");
  });
});

describe("accuracyTable", () => {
  it("lays out Tables 11 and 13, a diverged run showing where instead of N/A", () => {
    expect(
      accuracyTable(
        [
          { name: "Batch Normalization", trainAccuracy: 0.5126, testAccuracy: 0.4492 },
          { name: "No Batch Normalization", trainAccuracy: NaN, testAccuracy: NaN, status: "diverged at epoch 1, batch 37" },
          { name: "Not run", trainAccuracy: null, testAccuracy: 0.1, status: "ok" },
        ],
        "Table 13: Results",
      ),
    ).toBe(
      [
        "|  | Train Accuracy | Test Accuracy |",
        "| --- | ---: | ---: |",
        "| Batch Normalization | 51.26% | 44.92% |",
        "| No Batch Normalization | diverged at epoch 1, batch 37 | diverged at epoch 1, batch 37 |",
        "| Not run | N/A | 10.00% |",
        "",
        "*Table 13: Results*",
        "",
      ].join("\n"),
    );
  });
});

describe("comparisonTable", () => {
  it("puts the report's number beside ours", () => {
    expect(
      comparisonTable([
        { label: "Test accuracy, BN, η = 0.03", theirs: "49.67%", ours: "49.81%" },
        { label: "max rel. error W1", theirs: 2.588e-3, ours: 1.2e-7, note: "float64, exact gradients" },
      ]),
    ).toBe(
      [
        "|  | Report | Ours | Note |",
        "| --- | ---: | ---: | --- |",
        "| Test accuracy, BN, η = 0.03 | 49.67% | 49.81% |  |",
        "| max rel. error W1 | 0.002588 | 1.2e-7 | float64, exact gradients |",
        "",
      ].join("\n"),
    );
  });

  it("drops the note column when no row has a note and applies the number format", () => {
    expect(comparisonTable([{ label: "x", theirs: 0.5, ours: 0.25 }], { labelHeader: "Quantity", format: (x) => formatPercent(x), caption: "vs report" })).toBe(
      "| Quantity | Report | Ours |\n| --- | ---: | ---: |\n| x | 50.00% | 25.00% |\n\n*vs report*\n",
    );
  });
});

describe("metricsCsv", () => {
  it("writes a header, stable columns, full precision and empty cells for missing values", () => {
    const csv = metricsCsv([
      { epoch: 1, trainLoss: 0.1 + 0.2, trainCost: 2.5, trainAccuracy: 0.3, validationLoss: 2.6, validationCost: 2.7, validationAccuracy: 0.28, learningRate: 0.01, seconds: 1.25 },
      { epoch: 2, trainLoss: NaN, trainCost: 1e-300, trainAccuracy: 0.35 },
    ]);
    expect(csv).toBe(
      [
        "epoch,train_loss,train_cost,train_accuracy,validation_loss,validation_cost,validation_accuracy,learning_rate,seconds",
        "1,0.30000000000000004,2.5,0.3,2.6,2.7,0.28,0.01,1.25",
        "2,NaN,1e-300,0.35,,,,,",
        "",
      ].join("\n"),
    );
    const parsed = Number(csv.split("\n")[1].split(",")[1]);
    expect(parsed).toBe(0.1 + 0.2);
    expect(metricsCsv([])).toBe("epoch,train_loss,train_cost,train_accuracy,validation_loss,validation_cost,validation_accuracy,learning_rate,seconds\n");
  });
});

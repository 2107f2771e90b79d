import { createServer, type Server } from "node:net";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { add, gradcheck, mul, Rng, sum, Tensor } from "@gradspec/autograd";
import { main } from "@gradspec/runner";
import { errorDistributions } from "../packages/runner/src/experiments/gradcheck-errors.js";
import { htmlTable } from "../packages/runner/src/report/html/html-table.js";
import { ReportPage } from "../packages/runner/src/report/html/page.js";
import { specDifferencesTableData } from "../packages/runner/src/report/spec-differences.js";
import { tableData } from "../packages/runner/src/report/table-data.js";

describe("HTML tables and pages", () => {
  it("escapes every cell and the caption, and links the first column only when asked", () => {
    const html = htmlTable(tableData(["a<b", "c"], [["<script>x</script>", "1 & 2"]], ["left", "right"], 'say "hi"'), { firstColumnLinks: ["/runs/a%20b/"] });
    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;script&gt;x&lt;/script&gt;");
    expect(html).toContain("1 &amp; 2");
    expect(html).toContain("<caption>say &quot;hi&quot;</caption>");
    expect(html).toContain('<td class="right">');
    expect(html).toContain('<a href="/runs/a%20b/">');
  });

  it("a page loads nothing from anywhere: inline scripts only, a policy that forbids the rest, chart data that cannot close its script", () => {
    const page = new ReportPage("t</title>");
    page.chart({ data: { values: [{ label: "</script><script>alert(1)</script>" }] }, mark: "point" }, "c");
    const html = page.render();
    expect(html).toContain("<title>t&lt;/title&gt;</title>");
    expect(html).not.toMatch(/<script[^>]*\ssrc=/);
    expect(html).not.toMatch(/<link\b/);
    expect(html).toContain("default-src 'none'");
    expect(html.match(/<\/script>/g)?.length).toBe(3);
    expect(html).toContain("vegaEmbed");
    expect(html).not.toContain("sourceMappingURL");
  });

  it("a page without charts carries no charting library", () => {
    const html = new ReportPage("plain").paragraph("text").render();
    expect(html.length).toBeLessThan(10_000);
    expect(html).toContain('dataset.charts = "drawn"');
  });

  it("spec differences: only keys that differ, absent ones as —, names left out", () => {
    const table = specDifferencesTableData([
      { label: "a", spec: { name: "a", training: { learningRate: 0.1, epochs: 3 }, data: { train: ["b1"] } } },
      { label: "b", spec: { name: "b", training: { learningRate: 0.2, epochs: 3 }, data: { train: ["b1", "b2"] }, sweep: { seed: 1 } } },
    ]);
    expect(table.rows).toEqual([
      ["data.train", '["b1"]', '["b1","b2"]'],
      ["sweep.seed", "—", "1"],
      ["training.learningRate", "0.1", "0.2"],
    ]);
  });
});

describe("where a gradient check's errors lie", () => {
  const rng = new Rng(3);
  const W = Tensor.randn([5, 4], rng);
  const b = Tensor.randn([4], rng);
  const f = (p: { W: Tensor; b: Tensor }): Tensor => add(sum(mul(mul(p.W, p.W), p.W)), sum(mul(p.b, p.b)));

  it("gradcheck's own errors, kept on request: a histogram of them all and a cell per matrix element, the same from worker-free and sampled checks", () => {
    const params = { W, b };
    const report = gradcheck(f, params, { h: 1e-5, eps: 1e-5, errors: true });
    const [dW, db] = errorDistributions(report.parameters);
    expect(dW.name).toBe("W");
    const check = report.parameters[0];
    expect(check.errors?.values.length).toBe(20);
    expect(Array.from(check.errors?.at ?? [])).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(dW.histogram.counts.reduce((a, n) => a + n, 0) + dW.histogram.zeros).toBe(check.count);
    expect(dW.heatmap?.max.length).toBe(5);
    expect(dW.heatmap?.max[0].length).toBe(4);
    expect(Math.max(...(dW.heatmap?.max.flat() as number[]))).toBe(check.max);
    expect(db.name).toBe("b");
    expect(db.heatmap).toBeUndefined();
    // A sampled check fills only the cells of the elements it compared.
    const sampled = gradcheck(f, params, { errors: true, sample: 3, only: ["W"] });
    const [partial] = errorDistributions(sampled.parameters);
    expect(partial.heatmap?.max.flat().filter((cell) => cell !== null)).toHaveLength(3);
  });

  it("without the option the report holds statistics only, and nothing is drawn", () => {
    const report = gradcheck(f, { W, b });
    expect(report.parameters.every((p) => p.errors === undefined)).toBe(true);
    expect(errorDistributions(report.parameters)).toEqual([]);
  });
});

describe("gradspec serve: bad input is one line", () => {
  const io = (): { err: string; io: { out: () => void; err: (t: string) => void } } => {
    const box = { err: "", io: { out: () => undefined, err: (t: string) => void (box.err += t) } };
    return box;
  };
  let blocker: Server | undefined;
  afterAll(() => blocker?.close());

  it("a port that is no port: exit 2", async () => {
    const box = io();
    expect(await main(["serve", tmpdir(), "--port", "70000"], box.io)).toBe(2);
    expect(box.err).toBe('--port: expected a port number 0–65535 (0: any free port), got "70000"\n');
  });

  it("a folder that is not there: exit 2, naming it", async () => {
    const box = io();
    const missing = join(mkdtempSync(join(tmpdir(), "gradspec-serve-")), "nothing");
    expect(await main(["serve", missing], box.io)).toBe(2);
    expect(box.err).toBe(`${missing}: no such folder; pass the folder that holds your run folders (gradspec serve runs)\n`);
  });

  it("a port in use: exit 1, saying so", async () => {
    const server = createServer();
    blocker = server;
    const port = await new Promise<number>((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as { port: number }).port)));
    const box = io();
    expect(await main(["serve", tmpdir(), "--port", String(port)], box.io)).toBe(1);
    expect(box.err).toBe(`gradspec serve: port ${port} on 127.0.0.1 is in use; pass another with --port N (0: any free port)\n`);
  });
});

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { evaluateExpression, specSchema } from "../packages/runner/src/spec/index.js";
import { componentTable, withComponentTables } from "../packages/runner/src/spec/component-docs.js";

type Node = Record<string, unknown>;
const isNode = (v: unknown): v is Node => typeof v === "object" && v !== null && !Array.isArray(v);

/** Every schema node with its JSON pointer, skipping `if` conditions (they only test a value). */
function nodes(node: unknown, pointer = "#"): [string, Node][] {
  if (!isNode(node)) return [];
  const out: [string, Node][] = [[pointer, node]];
  for (const [key, child] of Object.entries(node)) {
    if (key === "if" || key === "enum" || key === "const") continue;
    if (Array.isArray(child)) child.forEach((c, i) => out.push(...nodes(c, `${pointer}/${key}/${i}`)));
    else if (isNode(child)) out.push(...nodes(child, `${pointer}/${key}`));
  }
  return out;
}

describe("gradspec.schema.json", () => {
  const schema = specSchema();
  const all = nodes(schema);

  it("is the file on disk, with an $id and draft-07", () => {
    expect(schema).toEqual(JSON.parse(readFileSync("packages/runner/schema/gradspec.schema.json", "utf8")));
    expect(schema["$id"]).toBe("urn:gradspec:schema:spec:1");
    expect(schema["$schema"]).toBe("http://json-schema.org/draft-07/schema#");
  });

  it("describes every property (editors show it on hover)", () => {
    const definitions = schema["definitions"] as Record<string, Node>;
    const described = (prop: Node): boolean => {
      const target = typeof prop["$ref"] === "string" ? definitions[(prop["$ref"] as string).replace("#/definitions/", "")] : prop;
      return typeof target?.["description"] === "string" && (target["description"] as string).length >= 5 && typeof target["title"] === "string";
    };
    const missing: string[] = [];
    for (const [pointer, node] of all) {
      for (const [key, prop] of Object.entries(isNode(node["properties"]) ? node["properties"] : {})) {
        if (!isNode(prop) || !described(prop)) missing.push(`${pointer}/properties/${key}`);
      }
    }
    expect(missing).toEqual([]);
    for (const [name, def] of Object.entries(schema["definitions"] as Node)) expect((def as Node)["description"], name).toBeTypeOf("string");
  });

  it("closes every mapping except layer items of unknown type", () => {
    const open = all
      .filter(([, n]) => n["type"] === "object" || isNode(n["properties"]))
      .filter(([, n]) => n["additionalProperties"] !== false)
      .map(([p]) => p);
    // A component's object form is closed by its type enum plus one closed `then` per declared type.
    expect(open).toEqual(["#/definitions/layer", "#/definitions/init/anyOf/2", "#/definitions/optimizer/anyOf/1", "#/definitions/schedule/anyOf/1"]);
    const thens = all.filter(([p]) => /\/allOf\/\d+\/then$/.test(p));
    expect(thens.length).toBeGreaterThan(0);
    for (const [pointer, then] of thens) expect(then["additionalProperties"], pointer).toBe(false);
  });

  it("lets every numeric field take an expression string", () => {
    const numeric = all.filter(([, n]) => Array.isArray(n["type"]) ? (n["type"] as string[]).some((t) => t === "number" || t === "integer") : n["type"] === "number" || n["type"] === "integer");
    expect(numeric.length).toBeGreaterThan(30);
    for (const [pointer, node] of numeric) expect(node["type"], pointer).toContain("string");
  });
});

describe("evaluateExpression", () => {
  it("evaluates arithmetic, constants and math functions", () => {
    expect(evaluateExpression("10^-1.7")).toEqual({ ok: true, value: 10 ** -1.7 });
    expect(evaluateExpression("1/3")).toEqual({ ok: true, value: 1 / 3 });
    expect(evaluateExpression("2e-3*5")).toEqual({ ok: true, value: 0.01 });
    expect(evaluateExpression("-2^2")).toEqual({ ok: true, value: -4 });
    expect(evaluateExpression("log10(1000) + sqrt(16) * pi / pi")).toEqual({ ok: true, value: 7 });
    expect(evaluateExpression("min(3, 2, 5) % 2")).toEqual({ ok: true, value: 0 });
  });

  it("refuses anything that is not a finite real number", () => {
    const fails = (text: string): string => {
      const result = evaluateExpression(text);
      return result.ok ? "ok" : result.message;
    };
    expect(fails("")).toBe("empty expression");
    expect(fails("x + 1")).toBe("unknown symbol x");
    expect(fails("1 == 1")).toBe("operator == is not allowed");
    expect(fails("1e400")).toBe("gives Infinity, not a finite number");
    expect(fails("0/0")).toBe("gives NaN, not a finite number");
    expect(fails("createUnit(\"foo\")")).toBe("function createUnit is not allowed");
    expect(fails("\"abc\"")).toBe("only numbers are allowed");
    expect(fails("1:3")).toBe("range is not allowed");
  });
});

describe("docs/spec-reference.md's component tables", () => {
  it("are the ones the declarations give (npm run schema rewrites them)", () => {
    const doc = readFileSync("docs/spec-reference.md", "utf8");
    expect(withComponentTables(doc)).toBe(doc);
    for (const kind of ["layers", "optimizers", "schedules", "initializers"] as const) expect(doc).toContain(`<!-- components: ${kind} -->\n${componentTable(kind)}\n`);
    expect(componentTable("layers")).toContain("| `dropout` | Inverted dropout");
  });
});

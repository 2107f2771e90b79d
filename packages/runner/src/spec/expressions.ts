import { create, all, type MathNode } from "mathjs";

/**
 * Numbers written as strings ("10^-1.7", "1/3", "2e-3*5") are evaluated by mathjs on a whitelist:
 * arithmetic operators, a few constants and pure math functions. Anything else (assignments,
 * units, matrices, import/createUnit/evaluate …) is refused before evaluation.
 */
const math = create(all);

const OPERATORS = new Set(["add", "subtract", "multiply", "divide", "pow", "unaryMinus", "unaryPlus", "mod"]);
const CONSTANTS = new Set(["pi", "e", "tau", "phi", "LN2", "LN10", "LOG2E", "LOG10E", "SQRT1_2", "SQRT2"]);
const FUNCTIONS = new Set([
  "sqrt", "cbrt", "exp", "expm1", "log", "log10", "log2", "log1p", "pow", "abs", "sign",
  "floor", "ceil", "round", "fix", "min", "max", "hypot", "nthRoot",
  "sin", "cos", "tan", "asin", "acos", "atan", "atan2", "sinh", "cosh", "tanh",
]);

export type Evaluation = { ok: true; value: number } | { ok: false; message: string };

function refusal(node: MathNode): string | undefined {
  switch (node.type) {
    case "ConstantNode":
      return typeof (node as MathNode & { value: unknown }).value === "number" ? undefined : "only numbers are allowed";
    case "ParenthesisNode":
      return undefined;
    case "OperatorNode": {
      const fn = (node as MathNode & { fn: string; op: string }).fn;
      return OPERATORS.has(fn) ? undefined : `operator ${(node as MathNode & { op: string }).op} is not allowed`;
    }
    case "SymbolNode": {
      const name = (node as MathNode & { name: string }).name;
      return CONSTANTS.has(name) || FUNCTIONS.has(name) ? undefined : `unknown symbol ${name}`;
    }
    case "FunctionNode": {
      const fn = (node as MathNode & { fn: MathNode }).fn;
      const name = fn.type === "SymbolNode" ? (fn as MathNode & { name: string }).name : "";
      return FUNCTIONS.has(name) ? undefined : `function ${name || "call"} is not allowed`;
    }
    default:
      return `${node.type.replace(/Node$/, "").toLowerCase()} is not allowed`;
  }
}

/** Characters of an expression: "10^-1.7" or "2*pi/3" need a few; mathjs parses recursively, so a huge one would overflow the stack. */
export const MAX_EXPRESSION_LENGTH = 200;

export function evaluateExpression(text: string): Evaluation {
  if (text.trim() === "") return { ok: false, message: "empty expression" };
  if (text.length > MAX_EXPRESSION_LENGTH) return { ok: false, message: `${text.length} characters long; an expression is at most ${MAX_EXPRESSION_LENGTH}` };
  let tree: MathNode;
  try {
    tree = math.parse(text);
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
  let refused: string | undefined;
  try {
    tree.traverse((node) => {
      refused ??= refusal(node);
    });
  } catch (error) {
    return { ok: false, message: error instanceof RangeError ? "nested too deeply" : (error as Error).message };
  }
  if (refused !== undefined) return { ok: false, message: refused };
  let value: unknown;
  try {
    value = tree.evaluate({});
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
  if (typeof value !== "number") return { ok: false, message: `gives ${math.typeOf(value).toLowerCase()} ${String(value)}, not a real number` };
  if (!Number.isFinite(value)) return { ok: false, message: `gives ${value}, not a finite number` };
  return { ok: true, value };
}

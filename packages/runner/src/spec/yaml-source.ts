import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node, type Pair } from "yaml";
import type { SpecPath } from "./json.js";
import { checkYamlNodes, SPEC_LIMITS, TOO_DEEP } from "./yaml-limits.js";

export interface Position {
  line: number;
  col: number;
}

export interface YamlProblem {
  path: SpecPath | undefined;
  position: Position;
  message: string;
}

/** A parsed spec file that can say where any key path was written. */
export interface YamlSource {
  readonly data: unknown;
  readonly problems: readonly YamlProblem[];
  locate(path: SpecPath, atKey: boolean): Position;
}

function keyOf(pair: Pair): unknown {
  return isScalar(pair.key) ? pair.key.value : pair.key;
}

function keyMatches(pair: Pair, segment: string | number): boolean {
  const key = keyOf(pair);
  return key === segment || (typeof key !== "object" && String(key) === String(segment));
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as Node | null | undefined)?.range;
  return range === undefined || range === null ? undefined : range[0];
}

/** Offset of the deepest node on `path` that exists: the value (or the key, if asked or the value is empty). */
function offsetOf(doc: Document, path: SpecPath, atKey: boolean): number {
  let node: unknown = doc.contents;
  let best = rangeStart(node) ?? 0;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i]!;
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => keyMatches(p, segment));
      if (pair === undefined) return best;
      const keyStart = rangeStart(pair.key);
      const valueStart = rangeStart(pair.value);
      best = (last && !atKey ? valueStart : undefined) ?? keyStart ?? best;
      if (!last) best = keyStart ?? best;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === "number") {
      const item: unknown = node.items[segment];
      const start = rangeStart(item);
      if (start === undefined) return best;
      best = start;
      node = item;
    } else {
      return best;
    }
  }
  return best;
}

/** The key path of the deepest mapping key or list item whose text contains `offset`. */
function pathAt(doc: Document, offset: number): SpecPath | undefined {
  const contains = (node: unknown): boolean => {
    const range = (node as Node | null | undefined)?.range;
    return range !== undefined && range !== null && range[0] <= offset && offset < Math.max(range[2], range[1] + 1);
  };
  let found: SpecPath | undefined;
  const walk = (node: unknown, path: SpecPath): void => {
    if (path.length > SPEC_LIMITS.depth) return;
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = keyOf(pair);
        if (typeof key !== "string" && typeof key !== "number") continue;
        const here = [...path, String(key)];
        if (contains(pair.key)) found = here;
        if (contains(pair.value)) {
          found = here;
          walk(pair.value, here);
        }
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => {
        if (contains(item)) {
          found = [...path, index];
          walk(item, [...path, index]);
        }
      });
    }
  };
  walk(doc.contents, []);
  return found;
}

function firstLine(message: string): string {
  return message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "").trim();
}

export function parseYamlSource(text: string): YamlSource {
  if (text.length > SPEC_LIMITS.bytes) {
    return { data: null, problems: [{ path: undefined, position: { line: 1, col: 1 }, message: `${text.length} characters; a spec is at most ${SPEC_LIMITS.bytes}` }], locate: () => ({ line: 1, col: 1 }) };
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, merge: true });
  const at = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, col };
  };
  const problems: YamlProblem[] = [...doc.errors, ...doc.warnings].map((error) => {
    // The YAML parser composes nested collections recursively and records the stack overflow as an error.
    const tooDeep = /Maximum call stack size exceeded/.test(error.message);
    return {
      path: tooDeep ? undefined : pathAt(doc, error.pos[0]),
      position: at(error.pos[0]),
      message: tooDeep ? TOO_DEEP : firstLine(error.message),
    };
  });
  if (problems.length === 0) {
    const limited = checkYamlNodes(doc);
    for (const p of limited) problems.push({ path: p.tooDeep ? undefined : pathAt(doc, p.offset), position: at(p.offset), message: p.message });
  }
  let data: unknown = null;
  if (problems.length === 0) {
    try {
      data = doc.toJS();
    } catch (error) {
      problems.push({ path: undefined, position: { line: 1, col: 1 }, message: firstLine((error as Error).message) });
    }
  }
  return { data, problems, locate: (path, atKey) => at(offsetOf(doc, path, atKey)) };
}

import { isAlias, isMap, isPair, isSeq, type Document, type Node } from "yaml";

/**
 * Bounds on what a spec may be, checked on the parsed YAML before anything walks it recursively: a
 * spec nests a handful of levels (sweep.stages.0.parameters.key.values.0 is six), so a deep one is
 * garbage, and walking it would overflow the stack.
 */
export const SPEC_LIMITS = {
  /** Bytes of a spec file (the largest in specs/ is ~3 KB). */
  bytes: 1 << 20,
  /** Levels of mappings and lists. */
  depth: 32,
} as const;

/** The plain JSON kinds a spec is made of; anything else (!!binary, !!set, !!timestamp, !!omap) is refused. */
const PLAIN_TAGS: ReadonlySet<string> = new Set([
  "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool",
  "tag:yaml.org,2002:null", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq",
]);

export interface NodeProblem {
  /** Offset in the text. */
  offset: number;
  message: string;
  /** Nested too deep: its key path would itself be unreadable, so it is pointed at by position only. */
  tooDeep: boolean;
}

export const TOO_DEEP = `nested more than ${SPEC_LIMITS.depth} levels deep; a spec needs a few`;

/** The first node nested deeper than the limit, and every node with a tag that is not plain JSON. Iterative. */
export function checkYamlNodes(doc: Document): NodeProblem[] {
  const problems: NodeProblem[] = [];
  const stack: { node: unknown; depth: number }[] = [{ node: doc.contents, depth: 0 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    if (node === null || node === undefined || isAlias(node)) continue;
    if (isPair(node)) {
      stack.push({ node: node.value, depth }, { node: node.key, depth });
      continue;
    }
    const offset = (node as Node).range?.[0] ?? 0;
    const tag = (node as Node).tag;
    if (tag !== undefined && !PLAIN_TAGS.has(tag)) {
      problems.push({ offset, message: `${shortTag(tag)} values are not allowed in a spec (only mappings, lists, strings, numbers, booleans and null)`, tooDeep: false });
      continue;
    }
    if (!(isMap(node) || isSeq(node))) continue;
    if (depth >= SPEC_LIMITS.depth) {
      problems.push({ offset, message: TOO_DEEP, tooDeep: true });
      return problems;
    }
    for (let i = node.items.length - 1; i >= 0; i--) stack.push({ node: node.items[i], depth: depth + 1 });
  }
  return problems;
}

function shortTag(tag: string): string {
  return tag.startsWith("tag:yaml.org,2002:") ? `!!${tag.slice("tag:yaml.org,2002:".length)}` : tag;
}

import { COMPONENT_OPTION, describeOption, initializers, layers, optimizers, requiredOptions, schedules, type ComponentDeclaration } from "@gradspec/nn";

type Kind = "layers" | "optimizers" | "schedules" | "initializers";
const REGISTRIES = { layers, optimizers, schedules, initializers } as const;

/**
 * The spec reference's table of one kind of component, from the declarations: type, what it does,
 * and each option's range, default and meaning. docs/spec-reference.md holds these between
 * `<!-- components: KIND -->` markers (`npm run schema` rewrites them; a test checks they are current).
 */
export function componentTable(kind: Kind): string {
  const rows = REGISTRIES[kind].all().map((d) => `| \`${d.type}\` | ${escape(d.description)}${presets(d)} | ${options(d)} |`);
  return ["| type | what it is | options |", "|---|---|---|", ...rows].join("\n");
}

function presets(d: ComponentDeclaration): string {
  const entries = Object.entries(d.presets ?? {});
  if (entries.length === 0) return "";
  return ` Names: ${entries.map(([name, o]) => `\`${name}\` = ${Object.entries(o).map(([k, v]) => `${k} ${String(v)}`).join(", ")}`).join("; ")}.`;
}

function options(d: ComponentDeclaration): string {
  const required = new Set(requiredOptions(d));
  const entries = Object.entries(d.options.properties);
  if (entries.length === 0) return "none";
  return entries
    .map(([name, schema]) => {
      const node = schema as Record<string, unknown> & { description?: string; default?: unknown; anyOf?: { const?: unknown }[] };
      const what =
        node[COMPONENT_OPTION] !== undefined ? `an ${String(node[COMPONENT_OPTION])}` : node.anyOf?.every((b) => b.const !== undefined) === true ? node.anyOf.map((b) => `\`${String(b.const)}\``).join(" \\| ") : describeOption(node);
      const tail = required.has(name) ? ", required" : node.default === undefined ? "" : `, default \`${String(node.default)}\``;
      return `\`${name}\`: ${what}${tail}. ${escape(node.description ?? "")}`.trim();
    })
    .join("<br>");
}

function escape(text: string): string {
  return text.replace(/\|/g, "\\|");
}

const MARKER = /<!-- components: (\w+) -->\n[\s\S]*?<!-- end components -->/g;

/** `text` with every component table between its markers rewritten from the declarations. */
export function withComponentTables(text: string): string {
  return text.replace(MARKER, (_all, kind: string) => {
    if (!(kind in REGISTRIES)) throw new RangeError(`unknown component kind ${kind} in a <!-- components: … --> marker`);
    return `<!-- components: ${kind} -->\n${componentTable(kind as Kind)}\n<!-- end components -->`;
  });
}

import { COMPONENT_OPTION, requiredOptions, type ComponentDeclaration, type ComponentKind, type ComponentRegistry } from "@gradspec/nn";
import { initializers, layers, optimizers, schedules } from "@gradspec/nn";
import type { SchemaNode } from "./schema.js";

/**
 * The spec schema's parts that come from component declarations (@gradspec/nn): every registered
 * layer, optimizer, schedule and initializer, plugins included, with their options' types, ranges,
 * defaults and descriptions. Nothing here is written per component.
 */
export function componentDefinitions(): Record<string, SchemaNode> {
  const batchNorm = layers.get("batchnorm")!.options.properties;
  return {
    layer: objectForm("layer", layers, { title: "Layer", description: "One layer: {type: name, ...options}.", typeTitle: "Layer type", patternOnly: true }),
    init: withNames("initializer", initializers, {
      title: "Initialization",
      description: `Weight initialization: ${summary(initializers)} Biases start at zero. Default he.`,
      singleOption: true,
    }),
    optimizer: withNames("optimizer", optimizers, {
      title: "Optimizer",
      description: `${summary(optimizers)} An object without type is sgd; a partial object takes the rest from its type's defaults. Default momentum (sgd with momentum 0.9, report).`,
      defaultType: "sgd",
    }),
    schedule: withNames("schedule", schedules, { title: "Learning-rate schedule", description: `${summary(schedules)} Default constant.` }),
    bnMomentum: optionNode(batchNorm["momentum"]!),
    bnEps: optionNode(batchNorm["eps"]!),
  };
}

interface FormOptions {
  title: string;
  description: string;
  typeTitle?: string;
  /** Layers: any name is accepted by the schema (a plugin may define it); the runner checks the registry. */
  patternOnly?: boolean;
  /** The type an object without `type` has. */
  defaultType?: string;
  /** {name: value} stands for {type: name, option: value} when the type has exactly one required option. */
  singleOption?: boolean;
}

type AnyRegistry = ComponentRegistry<unknown, never>;

function summary(registry: AnyRegistry): string {
  return registry.all().map((d) => `${d.type}: ${d.description.replace(/\.$/, "")}`).join("; ") + ".";
}

/** A component as {type, ...options}: one if/then branch per declared type. */
function objectForm(kind: ComponentKind, registry: AnyRegistry, form: FormOptions): SchemaNode {
  const types = registry.types();
  const typeNode: SchemaNode = form.patternOnly
    ? { title: form.typeTitle ?? "Type", description: `${types.join(", ")} or a plugin's ${kind} name.`, type: "string", pattern: "^[A-Za-z][A-Za-z0-9_-]*$" }
    : { title: form.typeTitle ?? "Type", description: `${types.join(", ")}.`, type: "string", enum: types };
  return {
    title: form.title,
    description: form.description,
    type: "object",
    ...(form.defaultType === undefined ? { required: ["type"] } : {}),
    properties: { type: typeNode },
    allOf: registry.all().map((declaration) => branch(declaration, declaration.type === form.defaultType)),
  };
}

function branch(declaration: ComponentDeclaration, isDefault: boolean): SchemaNode {
  const properties: Record<string, SchemaNode> = { type: { title: "Type", description: `${declaration.type}: ${declaration.description}` } };
  for (const [key, option] of Object.entries(declaration.options.properties)) properties[key] = optionNode(option);
  const required = requiredOptions(declaration);
  return {
    if: { properties: { type: { const: declaration.type } }, ...(isDefault ? {} : { required: ["type"] }) },
    then: {
      ...(declaration.openOptions === true ? {} : { additionalProperties: false }),
      ...(required.length > 0 ? { required: [...required] } : {}),
      properties,
    },
  };
}

/** A component written as a name (a type without required options, or a preset) or as an object. */
function withNames(kind: ComponentKind, registry: AnyRegistry, form: FormOptions): SchemaNode {
  const declarations = registry.all();
  const names = new Set<string>();
  for (const d of declarations) {
    if (requiredOptions(d).length === 0) names.add(d.type);
    for (const preset of Object.keys(d.presets ?? {})) names.add(preset);
  }
  const presetText = declarations.flatMap((d) => Object.entries(d.presets ?? {}).map(([name, options]) => `${name} = ${JSON.stringify({ type: d.type, ...options }).replace(/"/g, "")}`));
  const single = form.singleOption === true
    ? declarations.filter((d) => requiredOptions(d).length === 1).map((d): SchemaNode => {
        const option = requiredOptions(d)[0]!;
        return { title: `${d.type} shorthand`, description: `{${d.type}: ${option}}: ${d.description}`, type: "object", additionalProperties: false, required: [d.type], properties: { [d.type]: optionNode(d.options.properties[option]!) } };
      })
    : [];
  return {
    title: form.title,
    description: form.description,
    anyOf: [
      { title: `${form.title} name`, description: [`${[...names].join(", ")}.`, ...presetText].join(" "), type: "string", enum: [...names] },
      ...single,
      objectForm(kind, registry, { ...form, title: `${form.title} object`, description: `{type, ...options}.` }),
    ],
  };
}

/**
 * An option's schema as the spec writes it: numbers may be expression strings, a union of literals is
 * an enum, a component-valued option refers to that component's definition, and the default is said in
 * the description too (hover help shows descriptions).
 */
export function optionNode(option: unknown): SchemaNode {
  const node = JSON.parse(JSON.stringify(option)) as SchemaNode & Record<string, unknown>;
  const component = node[COMPONENT_OPTION];
  if (component !== undefined) {
    const ref = component === "initializer" ? "init" : String(component);
    return { $ref: `#/definitions/${ref}`, ...(node.description === undefined ? {} : { description: node.description }) };
  }
  const out: SchemaNode & { default?: unknown } = { ...node };
  if (out.anyOf !== undefined && out.anyOf.every((b) => b.const !== undefined)) {
    const values = out.anyOf.map((b) => b.const);
    delete out.anyOf;
    out.type = "string";
    out.enum = values;
  }
  if (out.type === "number" || out.type === "integer") out.type = [out.type, "string"];
  if (out.items !== undefined) out.items = optionNode(out.items);
  return out;
}

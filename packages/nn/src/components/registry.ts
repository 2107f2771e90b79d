import type { TProperties, TSchema } from "@sinclair/typebox";
import { COMPONENT_OPTION, requiredOptions, type ComponentConfig, type ComponentDeclaration, type ComponentKind } from "./declaration.js";
import { optionProblem } from "./check-option.js";

const TYPE_NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;

/** The declared components of one kind, by type name; built-ins register at import, plugins later. */
export class ComponentRegistry<Built, Context> {
  /** Grows with every registration in any registry: what was derived from declarations is stale when it moved. */
  static revision = 0;
  private readonly declarations = new Map<string, ComponentDeclaration<TProperties, Built, Context>>();

  constructor(readonly kind: ComponentKind) {}

  register<O extends TProperties>(declaration: ComponentDeclaration<O, Built, Context>): ComponentDeclaration<O, Built, Context> {
    if (!TYPE_NAME.test(declaration.type)) throw new RangeError(`register ${this.kind}: invalid type name ${JSON.stringify(declaration.type)}`);
    this.declarations.set(declaration.type, declaration as unknown as ComponentDeclaration<TProperties, Built, Context>);
    ComponentRegistry.revision++;
    return declaration;
  }

  has(type: string): boolean {
    return this.declarations.has(type);
  }

  get(type: string): ComponentDeclaration<TProperties, Built, Context> | undefined {
    return this.declarations.get(type);
  }

  types(): string[] {
    return [...this.declarations.keys()].sort();
  }

  all(): ComponentDeclaration<TProperties, Built, Context>[] {
    return this.types().map((type) => this.declarations.get(type)!);
  }

  /**
   * A component written as a name: a declared preset ({type, ...its options}) or a type's own name
   * ({type}); presets win, so the optimizer name `sgd` is the preset {type: sgd, momentum: 0}.
   */
  fromName(name: string): ComponentConfig | undefined {
    for (const declaration of this.declarations.values()) {
      const preset = declaration.presets?.[name];
      if (preset !== undefined) return { type: declaration.type, ...preset };
    }
    return this.has(name) ? { type: name } : undefined;
  }

  /** `{name: value}` for a type with exactly one required option ({normal: 0.001} is {type: normal, std: 0.001}). */
  fromSingleOption(value: Readonly<Record<string, unknown>>): ComponentConfig | undefined {
    const keys = Object.keys(value);
    const declaration = keys.length === 1 ? this.declarations.get(keys[0]!) : undefined;
    const required = declaration === undefined ? [] : requiredOptions(declaration);
    return declaration !== undefined && required.length === 1 ? { type: declaration.type, [required[0]!]: value[keys[0]!] } : undefined;
  }

  /** The config with every declared default filled in; an unknown type or a bad option throws a RangeError naming it. */
  resolve(config: ComponentConfig): ComponentConfig {
    const declaration = this.declarations.get(config.type);
    if (declaration === undefined) throw new RangeError(`unknown ${this.kind} type ${JSON.stringify(config.type)}; registered: ${this.types().join(", ")}`);
    const properties: Record<string, TSchema> = declaration.options.properties;
    const resolved: Record<string, unknown> = { type: config.type };
    for (const [key, value] of Object.entries(config)) {
      if (key === "type") continue;
      const schema = properties[key];
      if (schema === undefined && declaration.openOptions !== true) {
        throw new RangeError(`${config.type}: unknown option ${key}${Object.keys(properties).length === 0 ? " (it has none)" : ` (options: ${Object.keys(properties).join(", ")})`}`);
      }
      resolved[key] = value;
    }
    for (const [key, schema] of Object.entries(properties)) {
      if (resolved[key] === undefined && schema.default !== undefined) resolved[key] = structuredClone(schema.default);
      const value = resolved[key];
      if (value === undefined) {
        if (requiredOptions(declaration).includes(key)) throw new RangeError(`${config.type}: option ${key} is required`);
        continue;
      }
      const kind = (schema as Record<string, unknown>)[COMPONENT_OPTION];
      const problem = kind === undefined ? optionProblem(schema, value) : undefined;
      if (problem !== undefined) throw new RangeError(`${config.type}: ${key} ${problem}`);
    }
    return resolved as ComponentConfig;
  }

  /** Builds a component from its config, defaults filled and options checked first. */
  build(config: ComponentConfig, context: Context): Built {
    const declaration = this.declarations.get(config.type)!;
    const resolved = this.resolve(config);
    return declaration.build(resolved as never, context);
  }
}

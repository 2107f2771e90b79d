import type { Static, TObject, TProperties, TSchema } from "@sinclair/typebox";

/** What a component is: a layer of a network, an optimizer, a learning-rate schedule or a weight initializer. */
export type ComponentKind = "layer" | "optimizer" | "schedule" | "initializer";

/**
 * One component declared once: its name, what it does, its options (types, ranges, defaults and
 * descriptions, as a JSON Schema object built with TypeBox) and its constructor. The runner derives
 * the spec's JSON Schema, default filling, validation and the reference tables from declarations.
 */
export interface ComponentDeclaration<Options extends TProperties = TProperties, Built = unknown, Context = unknown, Type extends string = string> {
  readonly type: Type;
  /** One sentence, shown in the schema's hover help and in the reference. */
  readonly description: string;
  readonly options: TObject<Options>;
  /**
   * Other names a spec may write instead of an object, each standing for this type with some options
   * set (e.g. the optimizer shorthand `nesterov`). The type's own name always stands for its defaults.
   */
  readonly presets?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** Options not declared are accepted and passed on (layers registered without a declaration). */
  readonly openOptions?: boolean;
  build(options: Static<TObject<Options>>, context: Context): Built;
}

/** A component config as written in code, specs and checkpoints: its type and its options. */
export interface ComponentConfig {
  readonly type: string;
  readonly [option: string]: unknown;
}

/**
 * The schema annotation of an option whose value is itself a component of `kind` (e.g. a linear
 * layer's `init`): the runner puts that kind's whole schema there.
 */
export const COMPONENT_OPTION = "x-gradspec-component";

export interface ComponentOptionSchema extends TSchema {
  [COMPONENT_OPTION]: ComponentKind;
}

/** The config of a declared component with every option present (defaults filled): `{type, ...options}`. */
export type ConfigOf<D> = D extends { readonly type: infer T extends string; readonly options: TObject<infer O extends TProperties> } ? { type: T } & Static<TObject<O>> : never;

/** The options a config must give: declared required and without a default. */
export function requiredOptions(declaration: Pick<ComponentDeclaration, "options">): string[] {
  const properties: Record<string, TSchema> = declaration.options.properties;
  return (declaration.options.required ?? []).filter((key) => properties[key]?.default === undefined);
}

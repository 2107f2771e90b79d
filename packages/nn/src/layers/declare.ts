import type { TProperties } from "@sinclair/typebox";
import type { ComponentDeclaration } from "../components/declaration.js";
import type { BuildContext, Layer } from "./layer.js";

export type LayerDeclaration<O extends TProperties = TProperties> = ComponentDeclaration<O, Layer, BuildContext>;

/** Declares a layer: its name, description, options and constructor (register it with `registerLayer`). */
export function declareLayer<O extends TProperties, T extends string>(declaration: ComponentDeclaration<O, Layer, BuildContext, T>): ComponentDeclaration<O, Layer, BuildContext, T> {
  return declaration;
}

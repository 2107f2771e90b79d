import { Type, type TSchema, type TUnsafe } from "@sinclair/typebox";

/** What every node of the spec schema says about itself (editors show it on hover). */
export interface Notes {
  title?: string;
  description?: string;
  [keyword: string]: unknown;
}

/** A number, which a spec may also write as an expression string (evaluated before validation). */
export const num = (notes: Notes): TUnsafe<number> => Type.Unsafe<number>({ ...notes, type: ["number", "string"] });

/** An integer, or an expression string that evaluates to one. */
export const int = (notes: Notes): TUnsafe<number> => Type.Unsafe<number>({ ...notes, type: ["integer", "string"] });

/** One of a few names (a JSON Schema enum, whose errors say "must be one of …; did you mean …?"). */
export const oneOf = <const V extends readonly string[]>(values: V, notes: Notes): TUnsafe<V[number]> =>
  Type.Unsafe<V[number]>({ ...notes, type: "string", enum: [...values] });

/** A reference to a definition of the spec schema, typed as what it refers to. */
export const ref = <T>(name: string, notes: Notes = {}): TUnsafe<T> => Type.Unsafe<T>({ $ref: `#/definitions/${name}`, ...notes });

const KEY_PATH = "^[A-Za-z_$][A-Za-z0-9_$]*(\\.([A-Za-z_$][A-Za-z0-9_$]*|[0-9]+))*$";

/** A mapping from key paths (training.learningRate) to values of `value`'s schema. */
export const keyPathRecord = <T extends TSchema>(value: T, notes: Notes): TUnsafe<Record<string, T["static"]>> =>
  Type.Unsafe<Record<string, T["static"]>>({ ...notes, type: "object", patternProperties: { [KEY_PATH]: value }, additionalProperties: false });

/** A list of any values (each checked where it is used, e.g. a sweep's `values`). */
export const anyList = (notes: Notes): TUnsafe<unknown[]> => Type.Unsafe<unknown[]>({ ...notes, type: "array" });

import { stringify } from "yaml";
import type { ResolvedSpec } from "./types.js";

const HEADER = [
  "# Resolved gradspec spec: every default filled in, expressions evaluated and --set overrides applied.",
  "# Written by gradspec; it is itself a valid spec and runs the same experiment.",
];

/** The text of `spec.resolved.yaml`. */
export function toYaml(spec: ResolvedSpec): string {
  return `${HEADER.join("\n")}\n${stringify(spec, { lineWidth: 0, aliasDuplicateObjects: false })}`;
}

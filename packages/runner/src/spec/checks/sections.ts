import type { PathIssue } from "../issues.js";
import { str } from "./loose.js";

const SECTIONS = ["gradcheck", "compare", "sweep"] as const;

/** `experiment: sweep` needs a `sweep` section, and a `sweep` section needs `experiment: sweep`. */
export function checkSections(spec: Record<string, unknown>): PathIssue[] {
  const experiment = str(spec["experiment"]);
  if (experiment === undefined || !["train", ...SECTIONS].includes(experiment)) return [];
  const issues: PathIssue[] = [];
  for (const section of SECTIONS) {
    if (experiment === section && !(section in spec)) {
      issues.push({ path: [section], message: `missing (required when experiment is ${section})`, at: { path: ["experiment"], atKey: false } });
    }
    if (experiment !== section && section in spec) {
      issues.push({ path: [section], message: `only allowed when experiment is ${section} (experiment is ${experiment})`, at: { path: [section], atKey: true } });
    }
  }
  return issues;
}

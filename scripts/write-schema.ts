// Writes packages/runner/schema/gradspec.schema.json, the file editors load, from the spec's
// sections and the built-in component declarations (what `gradspec schema` prints without plugins).
import { writeFileSync } from "node:fs";
import { specSchema } from "../packages/runner/src/spec/index.js";

const target = new URL("../packages/runner/schema/gradspec.schema.json", import.meta.url);
writeFileSync(target, `${JSON.stringify(specSchema(), null, 2)}\n`);
console.log(`wrote ${target.pathname.replace(/^.*\/packages\//, "packages/")}`);

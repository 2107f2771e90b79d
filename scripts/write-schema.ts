// Writes what derives from the component declarations and the spec's sections: the schema file editors
// load (what `gradspec schema` prints without plugins) and the component tables of the spec reference.
import { readFileSync, writeFileSync } from "node:fs";
import { specSchema } from "../packages/runner/src/spec/index.js";
import { withComponentTables } from "../packages/runner/src/spec/component-docs.js";

const target = new URL("../packages/runner/schema/gradspec.schema.json", import.meta.url);
writeFileSync(target, `${JSON.stringify(specSchema(), null, 2)}\n`);
const reference = new URL("../docs/spec-reference.md", import.meta.url);
writeFileSync(reference, withComponentTables(readFileSync(reference, "utf8")));
console.log("wrote packages/runner/schema/gradspec.schema.json and the component tables of docs/spec-reference.md");

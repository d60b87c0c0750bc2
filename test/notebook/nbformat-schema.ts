/**
 * Validates a notebook against Jupyter's nbformat 4.5 JSON schema
 * (test/fixtures/nbformat/, vendored from jupyter/nbformat) with Ajv. The schema is
 * draft-04 JSON Schema, hence ajv-draft-04.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv from "ajv-draft-04";

const schema = JSON.parse(
  readFileSync(join(import.meta.dirname, "../fixtures/nbformat/nbformat.v4.5.schema.json"), "utf8"),
) as object;

const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

/** The schema's complaints, one line each ("/cells/3/outputs/0 must have required property 'data'"). */
export function nbformatErrors(notebook: unknown): string[] {
  if (validate(notebook)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? "is invalid"}`);
}

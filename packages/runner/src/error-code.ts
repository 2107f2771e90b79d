/** The `code` of a Node error (ENOENT, EEXIST, ERR_BUFFER_TOO_LARGE, …), or undefined for anything else. */
export function errorCode(error: unknown): string | undefined {
  const code = typeof error === "object" && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === "string" ? code : undefined;
}

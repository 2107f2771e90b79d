/**
 * Node options for the sweep's worker threads: none. Workers otherwise inherit this process's,
 * and some break them (`node --input-type=module -e ...` makes every worker fail to start) or only
 * slow them down (`--import tsx`: the worker entries are plain JavaScript).
 */
export const WORKER_EXEC_ARGV: string[] = [];

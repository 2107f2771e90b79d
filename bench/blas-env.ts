/**
 * Imported first by bench/run.ts: drops OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE from this process's
 * environment before anything loads OpenBLAS (the native addon loads on first use), as the PyTorch
 * peer's child process runs without them. Some machines export OPENBLAS_CORETYPE=Haswell, which on
 * AVX-512 cores makes dgemm about 1.5× slower; with both unset OpenBLAS picks its kernels for the CPU.
 */
export const DROPPED_BLAS_ENV = ["OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"].filter((name) => process.env[name] !== undefined);
for (const name of DROPPED_BLAS_ENV) delete process.env[name];

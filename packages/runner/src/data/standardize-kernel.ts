import { kernelName, nativeAddon, registerKernel, wasmExtras } from "@gradspec/autograd";

/**
 * out[r·dim + j] = (src[rows[r]·dim + j] − mean[j]) / std[j]: rows of a byte matrix (images)
 * standardized into float64, in the order `rows` lists them. Indices are not checked. The reference
 * for every backend's implementation, which must give its exact rows.
 */
export function standardizeBytesPlain(src: Uint8Array, rows: Int32Array, dim: number, mean: Float64Array, std: Float64Array, out: Float64Array): void {
  for (let r = 0; r < rows.length; r++) {
    const from = rows[r] * dim;
    const to = r * dim;
    for (let j = 0; j < dim; j++) out[to + j] = (src[from + j] - mean[j]) / std[j];
  }
}

export type StandardizeBytesKernel = typeof standardizeBytesPlain;

/** Byte standardization, by name in the kernel registry. */
export const STANDARDIZE_BYTES_KERNEL = kernelName<StandardizeBytesKernel>("runner.standardizeBytes");

registerKernel(STANDARDIZE_BYTES_KERNEL, {
  plain: standardizeBytesPlain,
  wasm(src, rows, dim, mean, std, out) {
    // The wasm kernel writes straight into a batch buffer in the wasm memory; it returns false when
    // its scratch does not fit.
    if (!wasmExtras()?.standardizeBytes(src, rows, dim, mean, std, out)) standardizeBytesPlain(src, rows, dim, mean, std, out);
  },
  native(src, rows, dim, mean, std, out) {
    const addon = nativeAddon();
    if (addon === null) throw new Error("the native kernels are not loaded");
    addon.standardizeBytes(src, rows, dim, mean, std, out);
  },
});

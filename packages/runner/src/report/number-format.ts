/** Number formats of the report's tables (C printf semantics, as MATLAB prints them). */

function special(x: number): string | undefined {
  if (Number.isNaN(x)) return "NaN";
  if (x === Infinity) return "Inf";
  if (x === -Infinity) return "-Inf";
  return undefined;
}

/** "1.8255223e-6" → "1.8255223e-06": C's exponent has a sign and at least two digits. */
function cExponent(js: string): string {
  return js.replace(/e([+-])(\d+)$/, (_, sign: string, digits: string) => `e${sign}${digits.padStart(2, "0")}`);
}

function stripZeros(fixed: string): string {
  return fixed.includes(".") ? fixed.replace(/\.?0+$/, "") : fixed;
}

/** printf("%.{digits}e"): formatExp(7.217e-10) = "7.217e-10", formatExp(0.002588) = "2.588e-03". */
export function formatExp(x: number, digits = 3): string {
  return special(x) ?? cExponent(x.toExponential(digits));
}

/**
 * printf("%.{significant}g"): fixed notation for exponents −4 … significant−1, else exponent form;
 * trailing zeros removed. formatSignificant(0.000108030, 8) = "0.00010803", (1.82552225e-6, 8) = "1.8255223e-06".
 */
export function formatSignificant(x: number, significant = 8): string {
  const s = special(x);
  if (s !== undefined) return s;
  if (x === 0) return Object.is(x, -0) ? "-0" : "0";
  const exp = x.toExponential(significant - 1);
  const exponent = Number(exp.slice(exp.indexOf("e") + 1));
  if (exponent >= -4 && exponent < significant) return stripZeros(x.toFixed(significant - 1 - exponent));
  const [mantissa, e] = exp.split("e");
  return cExponent(`${stripZeros(mantissa)}e${e}`);
}

/** A fraction as a percentage: formatPercent(0.4498) = "44.98%". */
export function formatPercent(fraction: number, decimals = 2): string {
  return special(fraction) ?? `${(fraction * 100).toFixed(decimals)}%`;
}

export function formatFixed(x: number, decimals: number): string {
  return special(x) ?? x.toFixed(decimals);
}

/** Greek names for the usual hyper-parameters (eta → η, lambda → λ, …); others unchanged. */
const GREEK: Readonly<Record<string, string>> = {
  eta: "η", lambda: "λ", rho: "ρ", alpha: "α", beta: "β", gamma: "γ", epsilon: "ε", sigma: "σ", mu: "μ",
};

export function paramLabel(name: string): string {
  return Object.hasOwn(GREEK, name) ? GREEK[name] : name;
}

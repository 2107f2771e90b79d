/** Learning-rate schedules: η as a function of the epoch (from 0) and the update count (from 0). */
export type ScheduleSpec =
  | { readonly type: "constant" }
  | { readonly type: "exponential"; readonly decay: number }
  | { readonly type: "step"; readonly every: number; readonly factor: number }
  | { readonly type: "cyclic"; readonly min: number; readonly max: number; readonly stepSize: number };

export type Schedule = (epoch: number, update: number) => number;

/**
 * - constant: η.
 * - exponential: η·decay^epoch (the report's decay 0.99 per epoch).
 * - step: η·factor^⌊epoch/every⌋.
 * - cyclic: triangular (Smith 2017) between min and max with half-period stepSize updates; η unused.
 */
export function schedule(spec: ScheduleSpec, learningRate: number): Schedule {
  switch (spec.type) {
    case "constant":
      return () => learningRate;
    case "exponential":
      return (epoch) => learningRate * spec.decay ** epoch;
    case "step":
      return (epoch) => learningRate * spec.factor ** Math.floor(epoch / spec.every);
    case "cyclic":
      return (_epoch, update) => {
        const cycle = Math.floor(1 + update / (2 * spec.stepSize));
        const x = Math.abs(update / spec.stepSize - 2 * cycle + 1);
        return spec.min + (spec.max - spec.min) * Math.max(0, 1 - x);
      };
  }
}

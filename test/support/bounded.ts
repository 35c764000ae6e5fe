// A ceiling for pathological slowness (super-linear blow-ups on hostile input), not a speed
// measurement: speed is measured in `npm run bench`. Far above normal times, so a loaded CI
// machine never trips it, while a quadratic or exponential path on these inputs does.
export const BLOWUP_MS = 5000;

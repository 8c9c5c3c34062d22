/** A step's time in the largest whole unit it fits: "1 h", "90 min", "2 d", "45 s". */
const UNITS: [seconds: number, name: string][] = [
  [86_400, "d"],
  [3_600, "h"],
  [60, "min"],
];

export function duration(seconds: number): string {
  const unit = UNITS.find(([size]) => seconds % size === 0);
  return unit ? `${seconds / unit[0]} ${unit[1]}` : `${seconds} s`;
}

export interface CycleColumn {
  day: number;
  points: number;
  /** Column height relative to the richest day, so that day fills the chart. */
  percent: number;
  /** A day that pays more than the usual day: the reason to keep a streak going. */
  bonus: boolean;
}

/** One column per day of the check-in cycle. */
export function cycleColumns(cycle: number[]): CycleColumn[] {
  const largest = Math.max(0, ...cycle);
  const usual = [...cycle].sort((a, b) => a - b)[Math.floor(cycle.length / 2)] ?? 0;
  return cycle.map((points, index) => ({
    day: index + 1,
    points,
    percent: largest ? Math.round((points / largest) * 1000) / 10 : 0,
    bonus: points > usual,
  }));
}

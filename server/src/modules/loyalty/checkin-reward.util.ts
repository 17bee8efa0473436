export interface CheckinReward {
  /** 1…N: the position of this day in the reward cycle. */
  cycleDay: number;
  points: number;
  /** A day paying more than the cycle's smallest reward, e.g. day 7 of [5,5,10,5,5,10,30]. */
  bonus: boolean;
  /** What tomorrow pays if the streak continues. */
  nextPoints: number;
}

/** The reward for a day of a streak: day 1…N of the cycle, then the cycle starts again. */
export function checkinReward({ streak, cycle }: { streak: number; cycle: readonly number[] }): CheckinReward {
  const cycleDay = ((streak - 1) % cycle.length) + 1;
  const points = cycle[cycleDay - 1];
  return { cycleDay, points, bonus: points > Math.min(...cycle), nextPoints: cycle[cycleDay % cycle.length] };
}

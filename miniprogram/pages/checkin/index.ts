import type { MpCalendarReply, MpCheckInReply } from '../../../shared/src/mp-api.ts';
import { SiyuPage } from '../../common/component';
import { confirm, toast } from '../../common/feedback';
import { failureState, goJoin } from '../../common/load-failure';
import { askToSubscribe } from '../../common/subscribe';
import type { ViewStatus } from '../../common/view-status';
import { CHECKIN_REMINDER_TEMPLATE_ID } from '../../config';
import { api } from '../../services/api';
import { errorMessage, isApiError } from '../../services/api-error';
import { monthWeeks } from '../../utils/month-weeks';

const WEEK_STARTS_ON = 1;
const WEEKDAY_LABELS = ['一', '二', '三', '四', '五', '六', '日'];
const SUCCESS_ANIMATION_MS = 300;
const NOT_MEMBER_TEXT = '加入会员后即可每日签到领积分';

type CellState = 'pad' | 'checked' | 'makeup' | 'today' | 'missed' | 'future';

interface CalendarCell {
  key: string;
  day: string;
  date: string;
  state: CellState;
}

interface CheckInResult {
  points: number;
  streak: number;
  bonus: boolean;
  nextPoints: number;
}

/** The client's month, only for the first request: the server's reply says which day it really is. */
function deviceMonth(now = new Date()): string {
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}`;
}

function cellState(day: string, reply: MpCalendarReply, checked: Map<string, boolean>): CellState {
  if (checked.has(day)) return checked.get(day) ? 'makeup' : 'checked';
  if (day === reply.today) return 'today';
  return day < reply.today ? 'missed' : 'future';
}

function calendarCells(reply: MpCalendarReply): CalendarCell[][] {
  const checked = new Map(reply.days.map((entry) => [entry.day, entry.makeup]));
  return monthWeeks(reply.month, WEEK_STARTS_ON).map((week, row) =>
    week.map((day, column) =>
      day ? { key: day, day, date: String(Number(day.slice(8))), state: cellState(day, reply, checked) } : { key: `pad-${row}-${column}`, day: '', date: '', state: 'pad' },
    ),
  );
}

function calendarView(reply: MpCalendarReply) {
  return {
    month: reply.month,
    monthTitle: `${reply.month.slice(0, 4)}年${Number(reply.month.slice(5))}月`,
    weeks: calendarCells(reply),
    checkedInToday: reply.checkedInToday,
    streak: reply.streak,
    todayPoints: reply.todayReward.points,
    todayBonus: reply.todayReward.bonus,
    makeupCost: reply.makeup.cost,
    makeupLeft: Math.max(0, reply.makeup.perMonth - reply.makeup.usedThisMonth),
  };
}

const dayLabel = (day: string) => `${Number(day.slice(5, 7))}月${Number(day.slice(8))}日`;

SiyuPage({
  data: {
    status: 'loading' as ViewStatus,
    errorMessage: '',
    emptyText: '',
    actionText: '',
    weekdays: WEEKDAY_LABELS,
    month: '',
    monthTitle: '',
    weeks: [] as CalendarCell[][],
    checkedInToday: false,
    streak: 0,
    todayPoints: 0,
    todayBonus: false,
    makeupCost: 0,
    makeupLeft: 0,
    checkingIn: false,
    result: null as CheckInResult | null,
    successAnimation: {} as WechatMiniprogram.AnimationExportResult | Record<string, never>,
  },
  methods: {
    onLoad(): void {
      void this.load();
    },
    onShow(): void {
      // Back on the tab, perhaps on a new day; a failed refresh keeps what is shown.
      if (this.data.status === 'ready') this.refresh().catch(() => undefined);
    },
    async onPullDownRefresh(): Promise<void> {
      await this.load();
      wx.stopPullDownRefresh();
    },
    onRetry(): void {
      void this.load();
    },
    onAction(): void {
      goJoin();
    },

    async load(): Promise<void> {
      this.setData({ status: 'loading' });
      try {
        await this.refresh();
      } catch (error) {
        this.setData(failureState(error, NOT_MEMBER_TEXT));
      }
    },
    /** Reloads the calendar without the loading state; the month is the one holding the server's today. */
    async refresh(): Promise<void> {
      let reply = await api.calendar({ month: this.data.month || deviceMonth() });
      if (reply.today.slice(0, 7) !== reply.month) reply = await api.calendar({ month: reply.today.slice(0, 7) });
      this.setData({ status: 'ready', ...calendarView(reply) });
    },

    async onTapCheckIn(): Promise<void> {
      if (this.data.checkedInToday) return toast('今天已经签到过了');
      if (this.data.checkingIn) return;
      // Still inside the tap, as WeChat requires; it runs beside the check-in and never holds it up.
      void askToSubscribe([CHECKIN_REMINDER_TEMPLATE_ID]);
      this.setData({ checkingIn: true });
      try {
        this.celebrate(await api.checkIn());
        await this.refresh();
      } catch (error) {
        if (isApiError(error, 'ALREADY_CHECKED_IN')) this.setData({ checkedInToday: true });
        toast(errorMessage(error));
      } finally {
        this.setData({ checkingIn: false });
      }
    },
    celebrate(reply: MpCheckInReply): void {
      const animation = wx.createAnimation({ duration: SUCCESS_ANIMATION_MS, timingFunction: 'ease-out' });
      animation.scale(1.3).step();
      animation.scale(1).step();
      this.setData({
        checkedInToday: true,
        streak: reply.streak,
        result: { points: reply.points, streak: reply.streak, bonus: reply.reward.bonus, nextPoints: reply.reward.nextPoints },
        successAnimation: animation.export(),
      });
    },
    onCloseResult(): void {
      this.setData({ result: null });
    },

    async onTapDay(event: WechatMiniprogram.TouchEvent<{}, {}, { day: string; state: CellState }>): Promise<void> {
      const { day, state } = event.currentTarget.dataset;
      if (state !== 'missed') return;
      if (this.data.makeupLeft <= 0) return toast('本月补签次数已用完');
      const content = `补签${dayLabel(day)}需消耗 ${this.data.makeupCost} 积分，本月还可补签 ${this.data.makeupLeft} 次。`;
      if (!(await confirm({ title: '补签', content, confirmText: '确认补签' }))) return;
      try {
        const reply = await api.makeUp({ day });
        toast(`补签成功，已连续 ${reply.streak} 天`);
        await this.refresh();
      } catch (error) {
        toast(errorMessage(error));
      }
    },
  },
});

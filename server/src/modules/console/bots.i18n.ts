import type { BOT_STATUSES } from '../../../../shared/src/bot-protocol.ts';
import type { Locale } from './console-i18n.ts';

export type BotStatusKey = (typeof BOT_STATUSES)[number] | 'revoked';

const zh = {
  title: '机器人',
  intro: '每个微信号运行一个 bot 进程，用这里创建的令牌连接服务器。',
  create: '新建机器人',
  name: '名称',
  namePlaceholder: '例如：门店客服号',
  createSubmit: '创建并生成令牌',
  tokenTitle: '令牌已生成',
  tokenWarning: '请立即复制并妥善保存：令牌只显示这一次，离开或关闭后无法再次查看。',
  tokenLabel: '机器人令牌',
  copy: '复制令牌',
  tokenDone: '我已保存，关闭',
  runHint: '用它启动 bot 进程：',
  statuses: { starting: '启动中', scanning: '扫码中', logged_in: '已登录', logged_out: '已退出', error: '错误', revoked: '已吊销' } satisfies Record<BotStatusKey, string>,
  online: '在线',
  offline: '离线',
  listTitle: '已添加的机器人',
  columns: { name: '机器人', status: '状态', account: '微信账号', times: '时间', since: '状态始于', lastSeen: '最近连接', actions: '操作' },
  scanHint: '用要托管的微信扫码登录',
  qrAlt: '微信登录二维码',
  noAccount: '未登录',
  revoke: '吊销',
  revokeConfirm: '吊销「{name}」的令牌？bot 进程会立即断开，此令牌再也不能连接。',
  empty: '还没有机器人',
  emptyHint: '创建一个机器人，复制令牌，再用它启动 bot 进程。',
  autoRefresh: '状态每 3 秒自动刷新',
  refreshFailed: '状态刷新失败，稍后自动重试。',
};

export type BotsText = typeof zh;

export const botsText: Record<Locale, BotsText> = {
  'zh-CN': zh,
  en: {
    title: 'Bots',
    intro: 'Each WeChat account runs one bot process, which connects to the server with a token created here.',
    create: 'New bot',
    name: 'Name',
    namePlaceholder: 'e.g. Store service account',
    createSubmit: 'Create and issue a token',
    tokenTitle: 'Token issued',
    tokenWarning: 'Copy it now and keep it safe: the token is shown only this once and cannot be viewed again.',
    tokenLabel: 'Bot token',
    copy: 'Copy token',
    tokenDone: 'I saved it, close',
    runHint: 'Start the bot process with it:',
    statuses: { starting: 'Starting', scanning: 'Scan to log in', logged_in: 'Logged in', logged_out: 'Logged out', error: 'Error', revoked: 'Revoked' },
    online: 'Online',
    offline: 'Offline',
    listTitle: 'Your bots',
    columns: { name: 'Bot', status: 'Status', account: 'WeChat account', times: 'Times', since: 'Since', lastSeen: 'Last connected', actions: 'Actions' },
    scanHint: 'Scan with the WeChat account to manage',
    qrAlt: 'WeChat login QR code',
    noAccount: 'Not logged in',
    revoke: 'Revoke',
    revokeConfirm: 'Revoke the token of “{name}”? The bot process disconnects at once and the token never connects again.',
    empty: 'No bots yet',
    emptyHint: 'Create a bot, copy its token, and start the bot process with it.',
    autoRefresh: 'Status refreshes every 3 seconds',
    refreshFailed: 'Could not refresh the status; trying again shortly.',
  },
};

import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../server/src/config.ts';
import { buildTestApp } from '../../helpers/app.ts';

describe('mini-program configuration', () => {
  it('generates the member-code and consumer-token secrets per process outside production', () => {
    const first = loadConfig({});
    const second = loadConfig({});
    expect(first.memberCodeSecret).toMatch(/^[\w-]{43}$/);
    expect(first.consumerTokenSecret).toMatch(/^[\w-]{43}$/);
    expect(first.memberCodeSecret).not.toBe(second.memberCodeSecret);
    expect(first.memberCodeSecret).not.toBe(first.consumerTokenSecret);
    expect(first.generatedSecrets).toEqual(['MEMBER_CODE_SECRET', 'CONSUMER_TOKEN_SECRET']);
    expect(first).toMatchObject({ wechatApiBaseUrl: 'https://api.weixin.qq.com', consumerTokenTtlMinutes: 120 });
  });

  it('uses the configured values', () => {
    const config = loadConfig({
      WECHAT_API_BASE_URL: 'http://127.0.0.1:8080/',
      WECHAT_MP_APPID: 'wx0123456789abcdef',
      WECHAT_MP_SECRET: '0123456789abcdef0123456789abcdef',
      MEMBER_CODE_SECRET: 'm'.repeat(32),
      CONSUMER_TOKEN_SECRET: 'c'.repeat(32),
      CONSUMER_TOKEN_TTL_MINUTES: '30',
    });
    expect(config).toMatchObject({
      wechatApiBaseUrl: 'http://127.0.0.1:8080',
      wechatMpAppId: 'wx0123456789abcdef',
      memberCodeSecret: 'm'.repeat(32),
      consumerTokenSecret: 'c'.repeat(32),
      consumerTokenTtlMinutes: 30,
      generatedSecrets: [],
    });
  });

  it.each([
    [{ MEMBER_CODE_SECRET: 'too-short' }, 'MEMBER_CODE_SECRET must NOT have fewer than 32 characters'],
    [{ CONSUMER_TOKEN_TTL_MINUTES: '0' }, 'CONSUMER_TOKEN_TTL_MINUTES must be >= 1'],
    [{ WECHAT_MP_APPID: 'not-an-appid' }, 'WECHAT_MP_APPID must match pattern'],
    [{ WECHAT_API_BASE_URL: 'ftp://weixin' }, 'WECHAT_API_BASE_URL must match pattern'],
  ])('%o stops with one clear line', (env, message) => {
    expect(() => loadConfig(env)).toThrow(`configuration error: ${message}`);
  });

  it('in production never generates a secret, and the server refuses to start without one', async () => {
    const production = loadConfig({ NODE_ENV: 'production' });
    expect(production.memberCodeSecret).toBeUndefined();
    expect(production.consumerTokenSecret).toBeUndefined();
    await expect(buildTestApp({ memberCodeSecret: undefined })).rejects.toThrow('MEMBER_CODE_SECRET is required when NODE_ENV=production');
    await expect(buildTestApp({ consumerTokenSecret: undefined })).rejects.toThrow('CONSUMER_TOKEN_SECRET is required when NODE_ENV=production');
  });
});

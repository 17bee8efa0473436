import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../bot/src/config.ts';
import { createLogger } from '../../bot/src/logger.ts';

const valid = { BOT_TOKEN: 'secret-bot-token' };

describe('loadConfig', () => {
  it('fills defaults', () => {
    expect(loadConfig(valid)).toMatchObject({
      serverUrl: 'ws://127.0.0.1:3000/ws/bot',
      token: 'secret-bot-token',
      puppet: 'wechaty-puppet-wechat4u',
      puppetToken: undefined,
      name: 'siyu-bot',
      logLevel: 'info',
      dataDir: expect.stringMatching(/\.data\/bot$/),
    });
  });

  it.each([
    [{}, 'BOT_TOKEN is required'],
    [{ BOT_TOKEN: '' }, 'BOT_TOKEN is required'],
    [{ ...valid, BOT_SERVER_URL: 'http://example.com' }, 'BOT_SERVER_URL is invalid'],
    [{ ...valid, WECHATY_PUPPET: 'wechaty-puppet-nope' }, 'WECHATY_PUPPET is invalid'],
    [{ ...valid, BOT_NAME: '../escape' }, 'BOT_NAME is invalid'],
    [{ ...valid, LOG_LEVEL: 'loud' }, 'LOG_LEVEL is invalid'],
  ])('refuses %j with one clear line', (env, problem) => {
    const attempt = () => loadConfig(env);
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(new RegExp(`^config: ${problem}[^\\n]*$`));
  });
});

describe('createLogger', () => {
  it('never writes tokens', () => {
    let written = '';
    const sink = new Writable({
      write(chunk, _encoding, done) {
        written += String(chunk);
        done();
      },
    });
    const logger = createLogger('info', sink);
    logger.info({ config: loadConfig({ ...valid, WECHATY_PUPPET_TOKEN: 'puppet-secret' }) }, 'starting');
    logger.info({ headers: { authorization: 'Bearer secret-bot-token' } }, 'request');
    expect(written).toContain('starting');
    expect(written).not.toContain('secret-bot-token');
    expect(written).not.toContain('puppet-secret');
  });
});

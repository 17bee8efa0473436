import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildTestApp, injectAs, type Session } from '../../helpers/app.ts';

const DAY = 86_400_000;

describe('customers API', () => {
  let app: FastifyInstance;
  let operator: Session;
  let agent: Session;

  async function seedCustomer(externalId: string, fields: Record<string, unknown> = {}, tags: string[] = []) {
    const customer = await app.customerMerge.identify({ identity: { type: 'bot', accountId: 'wxid_brand', externalId }, profile: { nickname: externalId } });
    const id = String(customer._id);
    if (Object.keys(fields).length) await app.db.collection('customers').updateOne({ _id: customer._id }, { $set: fields });
    if (tags.length) await app.customers.addTags(id, tags);
    return id;
  }

  beforeAll(async () => {
    app = await buildTestApp();
    operator = await injectAs(app, 'operator');
    agent = await injectAs(app, 'agent');
  });
  afterAll(() => app.close());

  describe('GET /api/customers', () => {
    let ids: Record<string, string>;
    beforeAll(async () => {
      const now = Date.now();
      ids = {
        fresh: await seedCustomer('fresh', { name: '新朋友', layer: 'guest', createdAt: new Date(now - DAY), lastActiveAt: new Date(now - DAY), 'region.province': '广东', 'region.city': '深圳' }, ['美妆']),
        active: await seedCustomer('active', { name: '活跃小李', layer: 'member', createdAt: new Date(now - 60 * DAY), lastActiveAt: new Date(now - 2 * DAY), 'region.province': '上海' }, ['美妆', '高价值']),
        risky: await seedCustomer('risky', { name: '沉睡王', layer: 'fan', createdAt: new Date(now - 200 * DAY), lastActiveAt: new Date(now - 45 * DAY) }, ['运动']),
        gone: await seedCustomer('gone', { name: '流失赵', layer: 'friend', createdAt: new Date(now - 300 * DAY), lastActiveAt: new Date(now - 120 * DAY), remark: 'VIP老客' }),
      };
    });

    const names = async (query: string) => {
      const response = await operator.inject({ method: 'GET', url: `/api/customers?${query}` });
      expect(response.statusCode).toBe(200);
      return response.json().items.map((item: { name: string }) => item.name).sort();
    };

    it.each([
      ['tags=美妆', ['新朋友', '活跃小李']],
      ['tags=美妆&tags=高价值', ['活跃小李']],
      ['layer=fan&layer=friend', ['沉睡王', '流失赵']],
      ['lifecycle=new', ['新朋友']],
      ['lifecycle=active', ['活跃小李']],
      ['lifecycle=at-risk', ['沉睡王']],
      ['lifecycle=churned', ['流失赵']],
      ['province=广东&city=深圳', ['新朋友']],
      [`q=${encodeURIComponent('vip')}`, ['流失赵']],
      [`q=${encodeURIComponent('小李')}`, ['活跃小李']],
      [`q=${encodeURIComponent('.*')}`, []],
      [`createdFrom=${new Date(Date.now() - 100 * DAY).toISOString()}`, ['新朋友', '活跃小李']],
    ])('filters %s', async (query, expected) => {
      expect(await names(query)).toEqual(expected);
    });

    it('pages with an opaque cursor, every customer exactly once, in each sort order', async () => {
      for (const sort of ['newest', 'oldest', 'lastActive']) {
        const seen: string[] = [];
        let cursor: string | null = null;
        do {
          const url: string = `/api/customers?limit=1&sort=${sort}${cursor ? `&cursor=${cursor}` : ''}`;
          const page = (await operator.inject({ method: 'GET', url })).json();
          seen.push(...page.items.map((item: { id: string }) => item.id));
          cursor = page.nextCursor;
        } while (cursor);
        expect(new Set(seen).size).toBe(seen.length);
        expect(seen.length).toBeGreaterThanOrEqual(4);
      }
    });

    it('rejects a forged cursor with 400', async () => {
      const forged = Buffer.from(JSON.stringify({ id: { $gt: '' } })).toString('base64url');
      const response = await operator.inject({ method: 'GET', url: `/api/customers?cursor=${forged}` });
      expect(response.statusCode).toBe(400);
      expect(response.json().errors[0].path).toBe('/querystring/cursor');
    });
  });

  describe('the 360° profile', () => {
    it('shows profile, timeline, notes and reminders; agents see the phone masked', async () => {
      const id = await seedCustomer('p360', { phone: '13812345678' }, ['母婴']);
      await operator.inject({ method: 'POST', url: `/api/customers/${id}/notes`, payload: { body: '喜欢早上联系' } });
      const due = new Date(Date.now() + DAY).toISOString();
      await agent.inject({ method: 'POST', url: `/api/customers/${id}/reminders`, payload: { title: '回访', dueAt: due } });
      const asOperator = (await operator.inject({ method: 'GET', url: `/api/customers/${id}` })).json();
      expect(asOperator.customer).toMatchObject({ phone: '13812345678', tags: ['母婴'], identities: [{ type: 'bot', accountId: 'wxid_brand', externalId: 'p360' }] });
      expect(asOperator.notes[0].body).toBe('喜欢早上联系');
      expect(asOperator.reminders[0]).toMatchObject({ title: '回访', done: false, assigneeId: agent.staffId });
      expect(asOperator.timeline.items.map((item: { type: string }) => item.type)).toEqual(expect.arrayContaining(['note', 'tag_added']));
      const asAgent = (await agent.inject({ method: 'GET', url: `/api/customers/${id}` })).json();
      expect(asAgent.customer.phone).toBe('138****5678');
      const list = (await agent.inject({ method: 'GET', url: '/api/customers?tags=母婴' })).json();
      expect(list.items[0].phone).toBe('138****5678');
    });

    it('404 problem for an unknown customer', async () => {
      const response = await operator.inject({ method: 'GET', url: '/api/customers/0123456789abcdef01234567' });
      expect(response.statusCode).toBe(404);
      expect(response.json().code).toBe('NOT_FOUND');
    });

    it('completes a reminder', async () => {
      const id = await seedCustomer('rem');
      const created = (await agent.inject({ method: 'POST', url: `/api/customers/${id}/reminders`, payload: { title: '发券', dueAt: new Date().toISOString() } })).json();
      const done = await agent.inject({ method: 'POST', url: `/api/customers/${id}/reminders/${created.id}/done` });
      expect(done.json()).toMatchObject({ done: true });
    });
  });

  describe('editing', () => {
    it('edits the profile, normalising the phone, and records it in the timeline', async () => {
      const id = await seedCustomer('edit');
      const response = await operator.inject({ method: 'PATCH', url: `/api/customers/${id}`, payload: { name: '陈小姐', phone: '+86 138-0000-1111', region: { province: '浙江', city: '杭州' }, birthday: '1990-05-01' } });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ name: '陈小姐', phone: '13800001111', region: { province: '浙江', city: '杭州' } });
      const timeline = (await operator.inject({ method: 'GET', url: `/api/customers/${id}/timeline?type=profile_updated` })).json();
      expect(timeline.items).toHaveLength(1);
    });

    it('agents cannot edit profiles', async () => {
      const id = await seedCustomer('noedit');
      expect((await agent.inject({ method: 'PATCH', url: `/api/customers/${id}`, payload: { name: 'x' } })).statusCode).toBe(403);
    });

    it('records consent per channel with time, method and wording version', async () => {
      const id = await seedCustomer('consent');
      await operator.inject({ method: 'PUT', url: `/api/customers/${id}/consent`, payload: { channel: 'mp', status: 'granted', method: 'mini-program checkbox', wordingVersion: 'v1' } });
      const response = await operator.inject({ method: 'PUT', url: `/api/customers/${id}/consent`, payload: { channel: 'mp', status: 'withdrawn', method: '我的 page toggle', wordingVersion: 'v1' } });
      expect(response.json().consents).toEqual([expect.objectContaining({ channel: 'mp', status: 'withdrawn', wordingVersion: 'v1' })]);
    });
  });

  describe('tags', () => {
    it('loses no tag when 30 edits on one customer race', async () => {
      const id = await seedCustomer('race');
      const tags = Array.from({ length: 30 }, (_, i) => `并发${i}`);
      const responses = await Promise.all(tags.map((tag) => operator.inject({ method: 'POST', url: `/api/customers/${id}/tags`, payload: { tags: [tag] } })));
      expect(responses.every((response) => response.statusCode === 200)).toBe(true);
      const removals = await Promise.all(tags.slice(0, 10).map((tag) => operator.inject({ method: 'DELETE', url: `/api/customers/${id}/tags`, payload: { tags: [tag] } })));
      expect(removals.every((response) => response.statusCode === 200)).toBe(true);
      expect((await app.customers.get(id))!.tags.sort()).toEqual(tags.slice(10).sort());
    });

    it('tags everyone matching a filter in bulk', async () => {
      await seedCustomer('bulk1', { 'region.province': '四川' });
      await seedCustomer('bulk2', { 'region.province': '四川' });
      const response = await operator.inject({ method: 'POST', url: '/api/customers/bulk-tags', payload: { filter: { province: '四川' }, add: ['川渝'] } });
      expect(response.json()).toEqual({ matched: 2 });
      const tagged = (await operator.inject({ method: 'GET', url: '/api/customers?tags=川渝' })).json();
      expect(tagged.items).toHaveLength(2);
      const group = (await app.customers.tagGroups())['川渝'];
      expect(group).toBe('未分组');
    });
  });

  describe('one person across channels', () => {
    it('merges two records into one keeping interactions, tags, notes and identities', async () => {
      const target = await seedCustomer('merge-a', { layer: 'fan' }, ['美妆']);
      const source = await seedCustomer('merge-b', { layer: 'member', phone: '13900000000' }, ['高价值']);
      await operator.inject({ method: 'POST', url: `/api/customers/${source}/notes`, payload: { body: '来自B的备注' } });
      const response = await operator.inject({ method: 'POST', url: `/api/customers/${target}/merge`, payload: { sourceId: source } });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ layer: 'member', phone: '13900000000' });
      expect(response.json().tags.sort()).toEqual(['美妆', '高价值'].sort());
      expect(response.json().identities.map((identity: { externalId: string }) => identity.externalId).sort()).toEqual(['merge-a', 'merge-b']);
      const profile = (await operator.inject({ method: 'GET', url: `/api/customers/${target}` })).json();
      expect(profile.notes.map((note: { body: string }) => note.body)).toContain('来自B的备注');
      expect(profile.timeline.items.map((item: { type: string }) => item.type)).toContain('merged');
      expect((await operator.inject({ method: 'GET', url: `/api/customers/${source}` })).statusCode).toBe(404);
      // The source's identity now resolves to the survivor.
      const again = await app.customerMerge.identify({ identity: { type: 'bot', accountId: 'wxid_brand', externalId: 'merge-b' } });
      expect(String(again._id)).toBe(target);
    });

    it('a merge interrupted by a crash is finished on the next start', async () => {
      const target = await seedCustomer('crash-a');
      const source = await seedCustomer('crash-b', {}, ['半途']);
      const sourceDoc = await app.db.collection('customers').findOne({ nickname: 'crash-b' });
      // The first step of a merge, then the "crash": nothing else ran.
      await app.db.collection('customers').updateOne({ _id: sourceDoc!._id }, { $set: { mergingInto: (await app.db.collection('customers').findOne({ nickname: 'crash-a' }))!._id, mergedIdentityKeys: sourceDoc!.identityKeys } });
      expect(await app.customerMerge.resumePendingMerges()).toBe(1);
      expect((await app.customers.get(target))!.tags).toContain('半途');
      expect(await app.customers.get(source)).toBeNull();
    });

    it('the same unionid from two channels makes one person', async () => {
      const fromBot = await app.customerMerge.identify({ identity: { type: 'bot', accountId: 'wxid_brand', externalId: 'u-bot' }, profile: { nickname: '小程序用户' } });
      const fromMp = await app.customerMerge.identify({ identity: { type: 'mp', accountId: 'wxapp', externalId: 'openid-1' }, unionId: 'union-1' });
      expect(String(fromMp._id)).not.toBe(String(fromBot._id));
      const botAgain = await app.customerMerge.identify({ identity: { type: 'bot', accountId: 'wxid_brand', externalId: 'u-bot' }, unionId: 'union-1' });
      expect(String(botAgain._id)).toBe(String(fromMp._id));
      expect(botAgain.identityKeys.sort()).toEqual(['bot:wxid_brand:u-bot', 'mp:wxapp:openid-1']);
      const oa = await app.customerMerge.identify({ identity: { type: 'oa', accountId: 'wxoa', externalId: 'oa-openid' }, unionId: 'union-1' });
      expect(String(oa._id)).toBe(String(fromMp._id));
    });

    it('20 concurrent first events from one new person create one record', async () => {
      const results = await Promise.all(
        Array.from({ length: 20 }, () => app.customerMerge.identify({ identity: { type: 'oa', accountId: 'wxoa', externalId: 'burst' } })),
      );
      expect(new Set(results.map((customer) => String(customer._id))).size).toBe(1);
      expect(await app.db.collection('customers').countDocuments({ identityKeys: 'oa:wxoa:burst' })).toBe(1);
    });
  });

  it('raises the layer but never lowers it, recording each change', async () => {
    const id = await seedCustomer('layers');
    expect(await app.customers.raiseLayer(id, 'friend')).toBe(true);
    expect(await app.customers.raiseLayer(id, 'guest')).toBe(false);
    expect((await app.customers.get(id))!.layer).toBe('friend');
    const timeline = await app.interactions.page(id, { limit: 10, type: 'layer_changed' });
    expect(timeline.items[0].summary).toBe('visitor → friend');
  });
});

import { Readable } from 'node:stream';
import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildTestApp, injectAs, type Session } from '../../helpers/app.ts';

const BOM = '\uFEFF';
const csvFile = (...lines: string[]) => `${lines.join('\r\n')}\r\n`;

function importAs(session: Session, payload: string | Readable) {
  return session.inject({ method: 'POST', url: '/api/customers/import', headers: { 'content-type': 'text/csv; charset=utf-8' }, payload });
}

describe('customers CSV', () => {
  let app: FastifyInstance, operator: Session, agent: Session;
  const customers = () => app.db.collection('customers');

  beforeAll(async () => {
    app = await buildTestApp();
    operator = await injectAs(app, 'operator');
    agent = await injectAs(app, 'agent');
  });
  afterAll(() => app.close());

  describe('POST /api/customers/import', () => {
    it('imports Chinese headers with a BOM', async () => {
      const file = csvFile('姓名,昵称,手机号,性别,省份,城市,生日,标签,备注,外部ID,来源', '张三,小张,138 0013 8000,男,广东,深圳,1990-05-01,美妆|高价值,老客户,,门店', '李四,,+86 139-0013-9000,女,上海,上海,,运动；跑步,,crm-42,');
      expect((await importAs(operator, BOM + file)).json()).toEqual({ created: 2, updated: 0, skipped: 0, errors: [] });
      const zhang = await customers().findOne({ phone: '13800138000' });
      expect(zhang).toMatchObject({
        name: '张三', nickname: '小张', gender: 'male', region: { province: '广东', city: '深圳' }, birthday: '1990-05-01',
        tags: ['美妆', '高价值'], remark: '老客户', layer: 'visitor', source: { channel: 'import' }, identityKeys: ['import:phone:13800138000'],
      });
      const li = await customers().findOne({ identityKeys: 'import:csv:crm-42' });
      expect(li).toMatchObject({ name: '李四', phone: '13900139000', gender: 'female', tags: ['运动', '跑步'] });
      expect(await app.db.collection('tags').countDocuments({ name: { $in: ['美妆', '高价值', '运动', '跑步'] } })).toBe(4);
      expect(await app.db.collection('interactions').countDocuments({ type: 'imported', customerId: { $in: [zhang!._id, li!._id] } })).toBe(2);
    });

    it('imports English headers without a BOM', async () => {
      const response = await importAs(operator, csvFile('Name,Mobile,Gender,Tags,External ID,Birthday', 'Alice,13700137000,female,vip;new,,1988-1-2', 'Bob,,unknown,,ext-bob,'));
      expect(response.json()).toEqual({ created: 2, updated: 0, skipped: 0, errors: [] });
      expect(await customers().findOne({ phone: '13700137000' })).toMatchObject({ name: 'Alice', gender: 'female', tags: ['vip', 'new'], birthday: '1988-01-02' });
      expect(await customers().findOne({ identityKeys: 'import:csv:ext-bob' })).toMatchObject({ name: 'Bob', gender: 'unknown' });
    });

    it('importing the same file twice creates nothing the second time and reports updates', async () => {
      const file = csvFile('姓名,手机,external_id,标签', '王五,13600136000,,复购', '赵六,,twice-1,复购');
      expect((await importAs(operator, file)).json()).toMatchObject({ created: 2, updated: 0 });
      expect((await importAs(operator, file)).json()).toMatchObject({ created: 0, updated: 2, skipped: 0 });
      const ids = (await customers().find({ tags: '复购' }).toArray()).map((customer) => customer._id);
      expect(ids).toHaveLength(2);
      expect(await app.db.collection('interactions').countDocuments({ type: 'imported', customerId: { $in: ids } })).toBe(2);
    });

    it('two concurrent imports of the same file create no duplicates', async () => {
      const rows = Array.from({ length: 1200 }, (_, i) => (i % 2 ? `并发${i},1350${String(i).padStart(7, '0')},,并发` : `并发${i},,race-${i},并发`));
      const file = csvFile('姓名,手机号,外部ID,标签', ...rows);
      const [first, second] = (await Promise.all([importAs(operator, file), importAs(operator, file)])).map((response) => response.json());
      expect([first.created + second.created, first.updated + second.updated, first.skipped + second.skipped]).toEqual([1200, 1200, 0]);
      expect(await customers().countDocuments({ tags: '并发' })).toBe(1200);
    });

    it('turns a lost insert race into an update', async () => {
      const file = csvFile('姓名,外部ID', '甲,race-a', '乙,race-b');
      expect((await importAs(operator, file)).json()).toMatchObject({ created: 2 });
      const Customer = app.db.model('Customer'), bulkWrite = Customer.bulkWrite.bind(Customer);
      // The other import's insert lands between this upsert's match and its insert: the match finds nothing. Once only.
      const missTheMatch = (operation: Parameters<typeof bulkWrite>[0][number]) => {
        const { updateOne } = operation as Extract<typeof operation, { updateOne: unknown }>;
        return { updateOne: { ...updateOne, filter: { ...updateOne.filter, _id: new Types.ObjectId() } } };
      };
      vi.spyOn(Customer, 'bulkWrite').mockImplementationOnce((operations, options) => bulkWrite(operations.map(missTheMatch), options));
      expect((await importAs(operator, file)).json()).toEqual({ created: 0, updated: 2, skipped: 0, errors: [] });
      expect(await customers().countDocuments({ identityKeys: { $in: ['import:csv:race-a', 'import:csv:race-b'] } })).toBe(2);
    });

    it('reports bad rows with their line numbers and imports the good ones', async () => {
      const file = csvFile(
        '姓名,手机号,生日,性别,外部ID,备注',
        '好1,13300133001,,,,',
        '坏电话,abc,,,,',
        '没身份,,,,,',
        '坏生日,13300133002,1990-02-30,,,',
        '坏性别,13300133003,,外星,,',
        '好2,13300133004,,,,"两行',
        '备注"',
        '多一列,13300133005,,,,,多',
        '好3,,,,bad-rows-3,',
      );
      const report = (await importAs(operator, file)).json();
      expect(report).toMatchObject({ created: 3, updated: 0, skipped: 5 });
      const problems = report.errors.map(({ row, field }: { row: number; field: string | null }) => [row, field]);
      expect(problems).toEqual([[3, 'phone'], [4, 'phone'], [5, 'birthday'], [6, 'gender'], [9, null]]);
      const stored = await customers().find({ name: { $regex: '^(好|坏|没|多)' } }).toArray();
      expect(stored.map((customer) => customer.name).sort()).toEqual(['好1', '好2', '好3']);
    });

    it('never lowers the layer or replaces the source of an existing customer', async () => {
      const member = await app.customers.upsertByIdentity({ identity: { type: 'bot', accountId: 'wxid_brand', externalId: 'm1' }, layer: 'member' });
      await customers().updateOne({ _id: member._id }, { $set: { phone: '13200132000', 'source.channel': 'bot', tags: ['老标签'] } });
      expect((await importAs(operator, csvFile('姓名,手机号,标签', '老会员,13200132000,新标签'))).json()).toMatchObject({ created: 0, updated: 1 });
      expect(await customers().findOne({ _id: member._id })).toMatchObject({ name: '老会员', layer: 'member', source: { channel: 'bot' }, tags: ['老标签', '新标签'] });
    });

    it.each([
      ['an unknown column', csvFile('姓名,手机号,年龄', '张,13100131000,30'), '/body/年龄'],
      ['a column named like an object property', csvFile('姓名,手机号,constructor', '张,13100131000,x'), '/body/constructor'],
      ['a duplicate column', csvFile('姓名,name,手机号', '张,张,13100131000'), '/body/name'],
      ['no phone or external id column', csvFile('姓名,城市', '张,北京'), '/body/手机号'],
      ['an empty file', '', '/body'],
    ])('rejects %s with a 400 naming it', async (_name, file, path) => {
      const problem = (await importAs(operator, file)).json();
      expect(problem).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
      expect(problem.errors.map((error: { path: string }) => error.path)).toContain(path);
    });

    it('imports 5,000 rows in batches', async () => {
      const rows = Array.from({ length: 5000 }, (_, i) => `批量${i},1890${String(i).padStart(7, '0')},${i % 2 ? '男' : '女'},批量|第${i % 10}组`);
      const started = Date.now();
      const response = await importAs(operator, csvFile('姓名,手机号,性别,标签', ...rows));
      expect(response.json()).toEqual({ created: 5000, updated: 0, skipped: 0, errors: [] });
      expect(Date.now() - started).toBeLessThan(30_000);
      expect(await customers().countDocuments({ tags: '批量' })).toBe(5000);
    }, 60_000);
  });

  it('refuses an upload over the limit with 413, whether its length is declared or not', async () => {
    const small = await buildTestApp({ csvLimitBytes: 1024 });
    onTestFinished(() => small.close());
    const admin = await injectAs(small, 'admin');
    const file = csvFile('姓名,手机号', ...Array.from({ length: 100 }, (_, i) => `大文件${i},1300${String(i).padStart(7, '0')}`));
    const streamed = Readable.from(file.match(/[^]{1,200}/g)!.map((chunk) => Buffer.from(chunk)));
    for (const payload of [file, streamed]) {
      expect((await importAs(admin, payload)).json()).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
    }
  });

  describe('GET /api/customers/export.csv', () => {
    beforeAll(async () => {
      const evil = '"=HYPERLINK(""http://evil"")",15000150001,男,浙江,杭州,1991-03-04,导出|甲';
      const file = csvFile('姓名,手机号,性别,省份,城市,生日,标签', evil, '@SUM(A1),15000150002,女,,,,导出|乙', '普通人,15000150003,,,,,导出');
      expect((await importAs(operator, file)).json()).toMatchObject({ created: 3 });
    });

    const exportAs = (query: string) => operator.inject({ method: 'GET', url: `/api/customers/export.csv${query}` });
    const exportTagged = (tag: string) => exportAs(`?tags=${encodeURIComponent(tag)}`);

    it('is a CSV Excel opens: BOM, CRLF, Chinese header, attachment name', async () => {
      const response = await exportTagged('导出');
      expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(response.headers['content-disposition']).toMatch(/^attachment; filename="customers-\d{8}\.csv"; filename\*=UTF-8''customers-\d{8}\.csv$/);
      expect(response.body.slice(0, 1)).toBe(BOM);
      const lines = response.body.slice(1).split('\r\n');
      expect(lines.filter(Boolean)).toHaveLength(4);
      expect(lines[0]).toBe('姓名,昵称,手机号,性别,省份,城市,生日,标签,关系层级,生命周期,最近活跃,创建时间,ID');
      expect(response.body.replaceAll('\r\n', '')).not.toContain('\n');
      expect(lines.find((line) => line.includes('15000150001'))).toMatch(/,15000150001,男,浙江,杭州,1991-03-04,导出\|甲,访客,新客,,\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},[a-f0-9]{24}$/);
    });

    it('defuses cells that a spreadsheet would run as formulas', async () => {
      const { body } = await exportTagged('导出');
      expect(body).toContain(`"'=HYPERLINK(""http://evil"")",,15000150001`);
      expect(body).toContain(`'@SUM(A1),,15000150002`);
      expect(body).not.toMatch(/(^|\n|,)[=@]/);
    });

    it('narrows by the list filters and rejects unknown ones', async () => {
      const rows = (await exportTagged('乙')).body.slice(1).split('\r\n').filter(Boolean);
      expect(rows).toHaveLength(2);
      expect(rows[1]).toContain('15000150002');
      expect((await exportAs('?limit=5')).statusCode).toBe(400);
    });

    it('leaves an entry in the audit log', async () => {
      await exportTagged('甲');
      const log = (await (await injectAs(app, 'admin')).inject({ method: 'GET', url: '/api/audit' })).json();
      expect(log.items.some((entry: { action: string; actorEmail: string }) => entry.action === 'GET /api/customers/export.csv' && entry.actorEmail === operator.email)).toBe(true);
    });

    it('imports its own export back without creating anyone', async () => {
      const before = await customers().countDocuments();
      expect((await importAs(operator, (await exportTagged('导出')).body)).json()).toEqual({ created: 0, updated: 3, skipped: 0, errors: [] });
      expect(await customers().countDocuments()).toBe(before);
      expect(await customers().findOne({ phone: '15000150001' })).toMatchObject({ name: '=HYPERLINK("http://evil")', tags: ['导出', '甲'] });
    });
  });

  it('refuses agents on both routes', async () => {
    expect((await importAs(agent, csvFile('姓名,手机号', '张,13100131000'))).statusCode).toBe(403);
    expect((await agent.inject({ method: 'GET', url: '/api/customers/export.csv' })).statusCode).toBe(403);
  });

  it('documents both routes in OpenAPI', async () => {
    const spec = (await app.inject({ method: 'GET', url: '/docs/json' })).json();
    expect(Object.keys(spec.paths['/api/customers/import'].post.requestBody.content)).toEqual(['text/csv']);
    expect(spec.paths['/api/customers/export.csv'].get.parameters.map((p: { name: string }) => p.name)).toContain('tags');
  });
});

import type { RequestPriority, RequestType, TransitionBody } from '@courtyard/contracts';
import { systemContext, type RequestContext } from '../core/http/context.js';
import type { Courtyard } from '../app.js';

/**
 * Service desk demo data for 翠湖花园: default categories and time limits, three technicians (陈师傅
 * is the demo `tech1` login), two teams with dispatch rules, and three dozen requests spread over
 * every state of the workflow, so the board, the technician's list and the portal have content.
 * Built through the services (numbering, timeline, audit as in real use).
 */
const EXTRA_TECHNICIANS = [
  { username: 'tech2', displayName: '刘师傅', phone: '13800000042' },
  { username: 'tech3', displayName: '黄师傅', phone: '13800000043' },
];

const PLAN: { type: RequestType; category: string; text: string; priority: RequestPriority; steps: TransitionBody['action'][]; publicArea?: string }[] = [
  { type: 'repair_room', category: 'plumbing', text: '厨房水槽下水管漏水，地面有积水', priority: 'high', steps: [] },
  { type: 'repair_room', category: 'electrical', text: '卧室插座没电，空气开关跳闸后合不上', priority: 'urgent', steps: [] },
  { type: 'repair_public', category: 'elevator', text: '2 号楼 1 单元电梯按钮失灵', priority: 'urgent', steps: [], publicArea: '2 号楼 1 单元电梯' },
  { type: 'complaint', category: 'noise', text: '楼上夜间装修噪音，晚上 10 点后仍在施工', priority: 'normal', steps: [] },
  { type: 'consultation', category: 'fees', text: '咨询物业费是否可以按季度缴纳', priority: 'low', steps: [] },
  { type: 'suggestion', category: 'general', text: '建议在小区东门增设快递柜', priority: 'low', steps: [] },
  { type: 'repair_room', category: 'doors_locks', text: '入户门锁芯卡顿，钥匙很难拧动', priority: 'normal', steps: ['accept'] },
  { type: 'cleaning', category: 'public', text: '3 号楼楼道有装修垃圾堆放', priority: 'normal', steps: ['accept'], publicArea: '3 号楼 2 单元楼道' },
  { type: 'greening', category: 'pruning', text: '中心花园树枝遮挡路灯', priority: 'low', steps: ['accept'], publicArea: '中心花园' },
  { type: 'appointment', category: 'moving', text: '预约周六上午搬家，需要使用货梯', priority: 'normal', steps: ['accept'] },
  { type: 'repair_room', category: 'plumbing', text: '卫生间马桶水箱不停流水', priority: 'normal', steps: ['accept', 'dispatch'] },
  { type: 'repair_room', category: 'electrical', text: '客厅吊灯不亮，更换灯泡无效', priority: 'normal', steps: ['accept', 'dispatch'] },
  { type: 'repair_public', category: 'lighting', text: '地下车库 B 区照明灯坏了 3 盏', priority: 'high', steps: ['accept', 'dispatch'], publicArea: '地下车库 B 区' },
  { type: 'repair_room', category: 'walls_floors', text: '阳台墙面渗水发霉', priority: 'normal', steps: ['accept', 'dispatch'] },
  { type: 'repair_public', category: 'access_control', text: '1 号楼单元门禁刷卡无反应', priority: 'high', steps: ['accept', 'dispatch'], publicArea: '1 号楼 1 单元门厅' },
  { type: 'repair_room', category: 'fixtures', text: '厨房抽油烟机开关失灵', priority: 'low', steps: ['accept', 'dispatch'] },
  { type: 'repair_room', category: 'plumbing', text: '暖气片阀门漏水', priority: 'high', steps: ['accept', 'dispatch', 'start'] },
  { type: 'repair_room', category: 'electrical', text: '热水器插座发烫', priority: 'urgent', steps: ['accept', 'dispatch', 'start'] },
  { type: 'repair_public', category: 'water_supply', text: '5 号楼二次供水水压不足', priority: 'high', steps: ['accept', 'dispatch', 'start'], publicArea: '5 号楼水泵房' },
  { type: 'repair_room', category: 'doors_locks', text: '窗户把手断裂', priority: 'normal', steps: ['accept', 'dispatch', 'start'] },
  { type: 'repair_room', category: 'plumbing', text: '洗手盆下水堵塞', priority: 'normal', steps: ['accept', 'dispatch', 'start'] },
  { type: 'repair_room', category: 'walls_floors', text: '客厅地砖空鼓开裂', priority: 'low', steps: ['accept', 'dispatch', 'start', 'pause'] },
  { type: 'repair_room', category: 'fixtures', text: '淋浴花洒漏水', priority: 'normal', steps: ['accept', 'dispatch', 'start', 'pause'] },
  { type: 'repair_room', category: 'electrical', text: '可视对讲机屏幕不亮，需要更换主板', priority: 'normal', steps: ['accept', 'dispatch', 'start', 'wait_parts'] },
  { type: 'repair_public', category: 'fire', text: '7 号楼消防栓箱玻璃破损', priority: 'high', steps: ['accept', 'dispatch', 'start', 'wait_parts'], publicArea: '7 号楼 1 层消防栓' },
  { type: 'repair_room', category: 'plumbing', text: '厨房冷水管接头渗水', priority: 'normal', steps: ['accept', 'dispatch', 'start', 'resolve'] },
  { type: 'repair_room', category: 'doors_locks', text: '防盗门闭门器损坏', priority: 'normal', steps: ['accept', 'dispatch', 'start', 'resolve'] },
  { type: 'repair_room', category: 'electrical', text: '卫生间浴霸不工作', priority: 'normal', steps: ['accept', 'dispatch', 'start', 'resolve'] },
  { type: 'cleaning', category: 'household', text: '预约家政深度保洁', priority: 'low', steps: ['accept', 'dispatch', 'start', 'resolve'] },
  { type: 'repair_public', category: 'roads', text: '小区北门减速带松动', priority: 'normal', steps: ['accept', 'dispatch', 'start', 'resolve'], publicArea: '北门入口' },
  { type: 'repair_room', category: 'plumbing', text: '地漏返臭味', priority: 'normal', steps: ['accept', 'dispatch', 'start', 'resolve', 'confirm', 'close'] },
  { type: 'repair_room', category: 'electrical', text: '厨房灯管闪烁', priority: 'low', steps: ['accept', 'dispatch', 'start', 'resolve', 'confirm', 'close'] },
  { type: 'repair_room', category: 'fixtures', text: '马桶盖板断裂', priority: 'low', steps: ['accept', 'dispatch', 'start', 'resolve', 'confirm'] },
  { type: 'praise', category: 'general', text: '感谢陈师傅雨夜上门抢修', priority: 'low', steps: ['accept', 'resolve', 'close'] },
  { type: 'complaint', category: 'parking', text: '消防通道长期有车辆违停', priority: 'normal', steps: ['reject'] },
  { type: 'consultation', category: 'procedures', text: '咨询装修申请流程', priority: 'low', steps: ['cancel'] },
];

export async function seedServiceDesk(courtyard: Pick<Courtyard, 'services' | 'database'>, communityId: string): Promise<void> {
  const { services } = courtyard;
  const db = courtyard.database.db;
  const ctx = systemContext('seed');
  // Looked up before the transaction: on SQLite a read outside it would wait for it to end.
  const missing: typeof EXTRA_TECHNICIANS = [];
  for (const t of EXTRA_TECHNICIANS) if (!(await services.users.idByUsername(t.username))) missing.push(t);
  await db.transaction().execute(async (tx) => {
    await services.deskConfig.ensureDefaults(tx, ctx, communityId);
    for (const t of missing) {
      const id = await services.users.createIn(tx, ctx, { username: t.username, displayName: t.displayName, kind: 'staff', password: 'Demo#2026tech', phone: t.phone });
      await services.access.grantDirect(tx, ctx, id, 'technician', communityId);
    }
  });
  const cats = new Map((await services.deskConfig.listCategories(ctx, { communityId })).map((c) => [`${c.type}/${c.code}`, c.id]));
  const repairSkills = [...cats.entries()].filter(([k]) => k.startsWith('repair_')).map(([, id]) => id);
  const userId = async (u: string) => (await services.users.idByUsername(u))!;
  const chen = await services.deskConfig.createTechnician(ctx, { communityId, userId: await userId('tech1'), name: '陈师傅', skills: repairSkills });
  const liu = await services.deskConfig.createTechnician(ctx, { communityId, userId: await userId('tech2'), name: '刘师傅', skills: repairSkills.filter((id) => id === cats.get('repair_room/plumbing') || id === cats.get('repair_room/electrical')) });
  const huang = await services.deskConfig.createTechnician(ctx, { communityId, userId: await userId('tech3'), name: '黄师傅', skills: [] });
  const manager = await userId('manager1');
  const water = await services.deskConfig.createTeam(ctx, { communityId, name: '水电维修班', supervisorUserId: manager, memberIds: [chen.id, liu.id] });
  const general = await services.deskConfig.createTeam(ctx, { communityId, name: '综合维修班', supervisorUserId: manager, memberIds: [huang.id, chen.id] });
  for (const code of ['repair_room/plumbing', 'repair_room/electrical']) await services.deskConfig.createRule(ctx, { communityId, categoryId: cats.get(code)!, teamId: water.id, strategy: 'least_open' });
  await services.deskConfig.createRule(ctx, { communityId, categoryId: null, teamId: general.id, strategy: 'team' });

  const rooms = await db.selectFrom('rooms').select('id').where('community_id', '=', communityId).orderBy('code').limit(PLAN.length).execute();
  const owner1 = await userId('owner1');
  const ownerRoom = await db.selectFrom('rooms').select('id').where('community_id', '=', communityId).where('code', '=', '1-1-1502').executeTakeFirst();
  const ownerCtx: RequestContext = { ...systemContext('seed'), actor: { kind: 'user', userId: owner1, name: '吴志明' }, scopes: new Map([['portal.self.use', new Set([communityId])]]) };
  let i = 0;
  for (const p of PLAN) {
    const roomId = p.publicArea ? null : (i % 6 === 0 && ownerRoom ? ownerRoom.id : rooms[i % rooms.length]!.id);
    const fields = { type: p.type, categoryId: cats.get(`${p.type}/${p.category}`) ?? null, description: p.text, priority: p.priority, ...(roomId ? { roomId } : { location: p.publicArea ?? '物业服务中心' }) };
    // Every sixth request comes from 吴志明 (owner1) through the portal, the rest by phone.
    const byOwner = roomId !== null && roomId === ownerRoom?.id;
    const created = byOwner ? await services.serviceRequests.submitFromPortal(ownerCtx, fields) : await services.serviceRequests.create(ctx, { communityId, channel: i % 2 ? 'phone' : 'front_desk', contactName: '住户', contactPhone: `1390000${String(2000 + i)}`, ...fields });
    for (const action of p.steps) {
      const body: TransitionBody = { action };
      if (action === 'dispatch') body.technicianId = [chen.id, liu.id, huang.id][i % 3]!;
      if (action === 'reject') body.reason = '已转交交警部门处理';
      if (action === 'pause') body.reason = '业主白天不在家，约周末上门';
      if (action === 'wait_parts') body.reason = '配件已下单，预计 3 天到货';
      if (action === 'resolve') {
        body.result = '已维修完毕，试用正常';
        if (i % 2 === 0) {
          body.chargeable = true;
          body.lines = [
            { kind: 'material', name: '配件', quantity: 1, unitPriceCents: 3500 },
            { kind: 'labour', name: '上门服务费', quantity: 1, unitPriceCents: 3000 },
          ];
        }
      }
      if (action === 'confirm') {
        body.rating = 4 + (i % 2);
        body.comment = '师傅很及时';
      }
      await services.serviceRequests.transition(action === 'cancel' && byOwner ? ownerCtx : ctx, created.id, body);
    }
    i++;
  }
}

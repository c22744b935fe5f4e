import assert from 'node:assert/strict';
import type { Journey, Kit } from '../kit.js';

/**
 * Service desk — satisfaction surveys (满意度调查): a property manager of 翠湖花园 builds and
 * publishes a survey in the console, owner1 answers it in the portal on a 375 px phone, and the
 * manager sees the answer in the result charts.
 */
const TITLE = '2026 年物业服务满意度调查';

async function surveysJourney(kit: Kit) {
  const J = 'surveys';
  // 1. The manager builds the survey: a rating question and a single-choice question.
  const manager = await kit.newPage(kit.desktop);
  const m = manager.page;
  await m.goto('/sign-in');
  await kit.signIn(m, kit.demo.manager.username, kit.demo.manager.password);
  await kit.byTestId(m, 'menu-surveys').click();
  await m.waitForURL((url) => url.pathname === '/service-desk/surveys');
  await kit.byTestId(m, 'survey-create').click();
  await kit.byTestId(m, 'survey-title').fill(TITLE);
  await kit.byTestId(m, 'survey-question-0-title').fill('您对物业服务的总体满意度');
  await kit.byTestId(m, 'survey-add-question').click();
  await kit.byTestId(m, 'survey-question-1-title').fill('您最满意的服务');
  await kit.byTestId(m, 'survey-question-1-option-0').fill('保洁');
  await kit.byTestId(m, 'survey-question-1-option-1').fill('安保');
  await kit.shot(m, J, '01-editor');
  await kit.byTestId(m, 'survey-save').click();
  await m.waitForURL((url) => /^\/service-desk\/surveys\/[0-9a-f-]{36}$/.test(url.pathname));
  const surveyUrl = new URL(m.url()).pathname;
  await kit.byTestId(m, 'survey-publish').click();
  await m.locator('.ant-popconfirm').getByRole('button').last().click();
  await m.getByText('进行中').first().waitFor();
  await kit.shot(m, J, '02-published');

  // 2. owner1 answers on a phone.
  const owner = await kit.newPage(kit.phone);
  const o = owner.page;
  await o.goto('/portal/sign-in');
  await kit.signIn(o, kit.demo.owner.username, kit.demo.owner.password);
  await o.waitForURL((url) => url.pathname === '/portal');
  await kit.byTestId(o, 'portal-surveys').click();
  await kit.byTestId(o, `my-survey-answer-${TITLE}`).click();
  await kit.byTestId(o, 'survey-answer-form').waitFor();
  // Five stars, then the first option.
  await kit.byTestId(o, 'answer-1').locator('.ant-rate-star').nth(4).click();
  await kit.byTestId(o, 'answer-2').getByText('保洁').click();
  const width = Number(await o.evaluate('document.documentElement.scrollWidth'));
  assert.ok(width <= 375, `the answer form fits a 375 px screen (scroll width ${width})`);
  await kit.shot(o, J, '03-owner-answer-phone');
  await kit.byTestId(o, 'survey-submit').click();
  await kit.byTestId(o, 'survey-thanks').waitFor();
  await kit.shot(o, J, '04-owner-thanks-phone');

  // 3. The manager sees the answer in the charts.
  await m.goto(surveyUrl);
  await kit.byTestId(m, 'survey-response-count').filter({ hasText: '共 1 份答卷' }).waitFor();
  await kit.byTestId(m, 'survey-chart-1').locator('svg').waitFor();
  await kit.byTestId(m, 'survey-result-1').getByText('平均分 5.00').waitFor();
  await kit.shot(m, J, '05-results');
  // The phone layout of the results page.
  const phone = await kit.newPage(kit.phone);
  await phone.page.goto('/sign-in');
  await kit.signIn(phone.page, kit.demo.manager.username, kit.demo.manager.password);
  await phone.page.goto(surveyUrl);
  await kit.byTestId(phone.page, 'survey-chart-2').locator('svg').waitFor();
  await kit.shot(phone.page, J, '06-results-phone');
}

/**
 * Feedback about the system (用户反馈): owner1 sends feedback from the portal on a phone, the
 * manager answers it on the triage page, owner1 reads the answer under "my feedback"; the return
 * visits page opens for the manager.
 */
async function feedbackJourney(kit: Kit) {
  const J = 'surveys-feedback';
  const owner = await kit.newPage(kit.phone);
  const o = owner.page;
  await o.goto('/portal/sign-in');
  await kit.signIn(o, kit.demo.owner.username, kit.demo.owner.password);
  await o.waitForURL((url) => url.pathname === '/portal');
  await kit.shot(o, J, '01-portal-home-phone');
  await kit.byTestId(o, 'portal-feedback').click();
  await kit.byTestId(o, 'feedback-body').fill('希望门户能查看停车费账单');
  await kit.byTestId(o, 'feedback-send').click();
  await o.getByText('希望门户能查看停车费账单').last().waitFor();
  await kit.shot(o, J, '02-owner-sent-phone');

  const manager = await kit.newPage(kit.desktop);
  const m = manager.page;
  await m.goto('/sign-in');
  await kit.signIn(m, kit.demo.manager.username, kit.demo.manager.password);
  await kit.byTestId(m, 'menu-feedback-triage').click();
  await m.getByText('希望门户能查看停车费账单').first().waitFor();
  await m.locator('[data-testid^="feedback-answer-"]').first().click();
  await kit.byTestId(m, 'feedback-response').fill('已列入下个版本，届时会通知您。');
  await m.locator('.ant-modal').getByRole('button').last().click();
  await m.getByText('已列入下个版本，届时会通知您。').first().waitFor();
  await kit.shot(m, J, '03-triage');

  await o.reload();
  await o.getByText('已列入下个版本，届时会通知您。').first().waitFor();
  await kit.shot(o, J, '04-owner-answer-phone');

  await kit.byTestId(m, 'menu-return-visits').click();
  await kit.byTestId(m, 'visits-due-count').waitFor();
  await kit.shot(m, J, '05-return-visits');
  // A dissatisfied caller: the visit is recorded and a complaint opened for the request.
  const dueBefore = await kit.byTestId(m, 'visits-due-count').innerText();
  if (!dueBefore.startsWith('待回访 0')) {
    await m.getByRole('button', { name: '记录回访' }).first().click();
    await m.locator('.ant-modal').getByText('不满意').click();
    await m.locator('.ant-modal textarea').fill('业主反映问题仍未解决');
    await m.locator('.ant-modal').getByRole('button').last().click();
    await m.getByText('已生成投诉工单').waitFor();
    await m.locator('.ant-list').getByText('不满意').first().waitFor();
    await kit.shot(m, J, '06-visit-dissatisfied');
  }
  const width = Number(await o.evaluate('document.documentElement.scrollWidth'));
  assert.ok(width <= 375, `my feedback fits a 375 px screen (scroll width ${width})`);
}

export const journeys: Journey[] = [
  { name: 'surveys', run: surveysJourney },
  { name: 'surveys-feedback', run: feedbackJourney },
];

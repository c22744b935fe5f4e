import { useState } from 'react';
import { App, Button, Card, Checkbox, Empty, Flex, Form, Input, Radio, Rate, Result, Skeleton, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { MySurvey, SurveyAnswerInput } from '@courtyard/contracts';
import { PageHeader } from '../../ui/PageHeader';
import { formatDateTimeShort } from '../../ui/format';
import { useApiError } from '../../ui/useApiError';
import { useMySurveys, useSurveyMutations } from './api';

type AnswerValues = Record<string, number | number[] | string | undefined>;

/** The answer form: one control per question, large enough to tap on a 375 px screen. */
function AnswerForm({ survey, onDone }: { survey: MySurvey; onDone: () => void }) {
  const { t } = useTranslation('surveys');
  const [form] = Form.useForm<AnswerValues>();
  const m = useSurveyMutations();
  const showError = useApiError();
  const submit = (values: AnswerValues) => {
    const answers: SurveyAnswerInput[] = survey.questions.flatMap((q): SurveyAnswerInput[] => {
      const v = values[q.id];
      if (v === undefined || v === '' || (Array.isArray(v) && v.length === 0)) return [];
      if (q.kind === 'rating') return [{ questionId: q.id, rating: v as number }];
      if (q.kind === 'single') return [{ questionId: q.id, choices: [v as number] }];
      if (q.kind === 'multiple') return [{ questionId: q.id, choices: v as number[] }];
      return [{ questionId: q.id, text: String(v) }];
    });
    m.submit.mutate({ surveyId: survey.id, body: { answers } }, { onSuccess: onDone, onError: (e) => showError(e) });
  };
  return (
    <Form form={form} layout="vertical" requiredMark={false} onFinish={submit} data-testid="survey-answer-form">
      {survey.questions.map((q) => (
        <Form.Item
          key={q.id}
          name={q.id}
          label={
            <Typography.Text strong style={{ whiteSpace: 'normal' }}>
              {q.position}. {q.title}
            </Typography.Text>
          }
          rules={q.required ? [{ required: true, message: t('portal.required') }] : []}
          data-testid={`answer-${q.position}`}
        >
          {q.kind === 'rating' ? (
            <Rate style={{ fontSize: 32 }} />
          ) : q.kind === 'single' ? (
            <Radio.Group style={{ display: 'flex', flexDirection: 'column', gap: 10 }} options={q.options.map((label, i) => ({ value: i, label }))} />
          ) : q.kind === 'multiple' ? (
            <Checkbox.Group style={{ display: 'flex', flexDirection: 'column', gap: 10 }} options={q.options.map((label, i) => ({ value: i, label }))} />
          ) : (
            <Input.TextArea rows={3} maxLength={2000} placeholder={t('portal.placeholder')} />
          )}
        </Form.Item>
      ))}
      <Button type="primary" htmlType="submit" block size="large" loading={m.submit.isPending} data-testid="survey-submit">
        {t('portal.submit')}
      </Button>
    </Form>
  );
}

/** `/portal/surveys` — the surveys open for me; tap one to answer it. */
export default function PortalSurveysPage() {
  const { t } = useTranslation('surveys');
  const { message } = App.useApp();
  const mine = useMySurveys();
  const [open, setOpen] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const items = mine.data?.items ?? [];
  const current = items.find((s) => s.id === open);
  if (mine.isPending) return <Skeleton active />;
  if (done) return <Result status="success" title={t('portal.thanks')} extra={<Button onClick={() => (setDone(false), setOpen(null))}>{t('portal.title')}</Button>} data-testid="survey-thanks" />;
  if (current && !current.answered) {
    return (
      <Card
        title={
          <Typography.Text strong style={{ whiteSpace: 'normal' }}>
            {current.title}
          </Typography.Text>
        }
        extra={current.anonymous ? <Tag color="blue">{t('portal.anonymous')}</Tag> : null}
      >
        {current.description ? <Typography.Paragraph type="secondary">{current.description}</Typography.Paragraph> : null}
        <AnswerForm
          survey={current}
          onDone={() => {
            void message.success(t('portal.thanks'));
            setDone(true);
          }}
        />
      </Card>
    );
  }
  return (
    <>
      <PageHeader title={t('portal.title')} />
      {items.length === 0 ? (
        <Empty description={t('portal.empty')} />
      ) : (
        <Flex vertical gap={12}>
          {items.map((s) => (
            <Card key={s.id} size="small" data-testid={`my-survey-${s.title}`}>
              <Flex justify="space-between" align="center" gap={8}>
                <Flex vertical style={{ minWidth: 0 }}>
                  <Typography.Text strong>{s.title}</Typography.Text>
                  <Typography.Text type="secondary" style={{ fontSize: 13 }}>
                    {s.communityName} · {t('portal.closesAt', { at: formatDateTimeShort(s.closesAt) })}
                  </Typography.Text>
                </Flex>
                {s.answered ? (
                  <Tag color="green">{t('portal.answered')}</Tag>
                ) : (
                  <Button type="primary" onClick={() => setOpen(s.id)} data-testid={`my-survey-answer-${s.title}`}>
                    {t('portal.answer')}
                  </Button>
                )}
              </Flex>
            </Card>
          ))}
        </Flex>
      )}
    </>
  );
}

import { useEffect } from 'react';
import { App, Button, Card, DatePicker, Flex, Form, Input, Select, Skeleton, Switch, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useNavigate, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import type { SurveyQuestionKind, UpdateSurveyBody } from '@courtyard/contracts';
import { PageHeader } from '../../ui/PageHeader';
import { useApiError } from '../../ui/useApiError';
import { useBuildings, useTags } from '../properties/api';
import { CommunitySelect, useRegistryCommunity } from '../properties/registry';
import { useSurvey, useSurveyMutations } from './api';

const KINDS: SurveyQuestionKind[] = ['rating', 'single', 'multiple', 'text'];

interface QuestionValues {
  kind: SurveyQuestionKind;
  title: string;
  required: boolean;
  options?: string[];
}
interface Values {
  title: string;
  description?: string;
  window: [Dayjs, Dayjs];
  anonymous: boolean;
  buildingIds: string[];
  tagIds: string[];
  questions: QuestionValues[];
}

const blank = (): Values => ({
  title: '',
  description: '',
  window: [dayjs().startOf('hour'), dayjs().startOf('hour').add(14, 'day')],
  anonymous: false,
  buildingIds: [],
  tagIds: [],
  questions: [{ kind: 'rating', title: '', required: true }],
});

/** `/service-desk/surveys/new` and `/service-desk/surveys/:id/edit` — the questions builder (drafts only). */
export default function SurveyEditorPage() {
  const { t } = useTranslation(['surveys', 'common']);
  const { message } = App.useApp();
  const showError = useApiError();
  const navigate = useNavigate();
  const { id } = useParams();
  const existing = useSurvey(id);
  const registry = useRegistryCommunity();
  const communityId = existing.data?.communityId ?? registry.communityId;
  const buildings = useBuildings(communityId);
  const tags = useTags(communityId);
  const m = useSurveyMutations();
  const [form] = Form.useForm<Values>();

  useEffect(() => {
    const s = existing.data;
    if (!s) return;
    form.setFieldsValue({
      title: s.title,
      description: s.description ?? '',
      window: [dayjs(s.opensAt), dayjs(s.closesAt)],
      anonymous: s.anonymous,
      buildingIds: s.audience.buildingIds,
      tagIds: s.audience.tagIds,
      questions: s.questions.map((q) => ({ kind: q.kind, title: q.title, required: q.required, options: q.options })),
    });
  }, [existing.data, form]);

  const save = (v: Values) => {
    const body: UpdateSurveyBody = {
      title: v.title.trim(),
      description: v.description?.trim() || null,
      anonymous: v.anonymous,
      opensAt: v.window[0].toISOString(),
      closesAt: v.window[1].toISOString(),
      audience: { buildingIds: v.buildingIds, tagIds: v.tagIds },
      questions: v.questions.map((q) => ({ kind: q.kind, title: q.title.trim(), required: q.required, ...(q.kind === 'single' || q.kind === 'multiple' ? { options: (q.options ?? []).map((o) => o.trim()) } : {}) })),
    };
    const done = (surveyId: string) => {
      void message.success(t('form.saved'));
      void navigate(`/service-desk/surveys/${surveyId}`);
    };
    if (id) m.update.mutate({ surveyId: id, body }, { onSuccess: (s) => done(s.id), onError: (e) => showError(e, form) });
    else if (communityId) m.create.mutate({ ...body, communityId }, { onSuccess: (s) => done(s.id), onError: (e) => showError(e, form) });
  };

  if (id && existing.isPending) return <Skeleton active />;
  return (
    <>
      <PageHeader title={id ? t('edit') : t('create')} extra={id ? null : <CommunitySelect value={registry.communityId} onChange={registry.setCommunityId} communities={registry.communities} loading={registry.isPending} width={220} />} />
      <Form<Values> form={form} layout="vertical" requiredMark={false} initialValues={blank()} onFinish={save} style={{ maxWidth: 760 }}>
        <Card size="small" style={{ marginBottom: 16 }}>
          <Form.Item name="title" label={t('form.title')} rules={[{ required: true, whitespace: true, message: t('common:form.required') }]}>
            <Input maxLength={100} data-testid="survey-title" />
          </Form.Item>
          <Form.Item name="description" label={t('form.description')}>
            <Input.TextArea rows={2} maxLength={2000} />
          </Form.Item>
          <Form.Item name="window" label={t('form.window')} rules={[{ required: true, message: t('common:form.required') }]}>
            <DatePicker.RangePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} data-testid="survey-window" />
          </Form.Item>
          <Form.Item name="anonymous" label={t('form.anonymous')} valuePropName="checked" extra={t('form.anonymousHint')}>
            <Switch data-testid="survey-anonymous" />
          </Form.Item>
        </Card>
        <Card size="small" title={t('form.audience')} style={{ marginBottom: 16 }}>
          <Typography.Paragraph type="secondary">{t('form.audienceHint')}</Typography.Paragraph>
          <Form.Item name="buildingIds" label={t('form.buildings')}>
            <Select mode="multiple" allowClear options={(buildings.data?.items ?? []).map((b) => ({ value: b.id, label: b.name }))} data-testid="survey-buildings" />
          </Form.Item>
          <Form.Item name="tagIds" label={t('form.tags')}>
            <Select mode="multiple" allowClear options={(tags.data?.items ?? []).map((tag) => ({ value: tag.id, label: tag.name }))} />
          </Form.Item>
        </Card>
        <Typography.Title level={5}>{t('form.questions')}</Typography.Title>
        <Form.List name="questions">
          {(fields, { add, remove }) => (
            <Flex vertical gap={12}>
              {fields.map((field, index) => (
                <Card
                  key={field.key}
                  size="small"
                  title={t('form.question', { n: index + 1 })}
                  data-testid={`survey-question-${index}`}
                  extra={fields.length > 1 ? <Button type="text" danger icon={<DeleteOutlined />} aria-label={t('form.removeQuestion')} onClick={() => remove(field.name)} /> : null}
                >
                  <Flex gap={12} wrap>
                    <Form.Item name={[field.name, 'kind']} label={t('form.kind')} style={{ minWidth: 160 }}>
                      <Select options={KINDS.map((k) => ({ value: k, label: t(`kind.${k}`) }))} data-testid={`survey-question-${index}-kind`} />
                    </Form.Item>
                    <Form.Item name={[field.name, 'required']} label={t('form.required')} valuePropName="checked">
                      <Switch />
                    </Form.Item>
                  </Flex>
                  <Form.Item name={[field.name, 'title']} label={t('form.questionTitle')} rules={[{ required: true, whitespace: true, message: t('common:form.required') }]}>
                    <Input maxLength={200} data-testid={`survey-question-${index}-title`} />
                  </Form.Item>
                  <Form.Item noStyle shouldUpdate>
                    {() => {
                      const kind = form.getFieldValue(['questions', field.name, 'kind']) as SurveyQuestionKind;
                      if (kind !== 'single' && kind !== 'multiple') return null;
                      return (
                        <Form.List name={[field.name, 'options']} initialValue={['', '']}>
                          {(options, ops) => (
                            <Flex vertical gap={4}>
                              <Typography.Text type="secondary">{t('form.options')}</Typography.Text>
                              {options.map((o, i) => (
                                <Flex key={o.key} gap={8}>
                                  <Form.Item name={o.name} style={{ flex: 1, marginBottom: 4 }} rules={[{ required: true, whitespace: true, message: t('common:form.required') }]}>
                                    <Input placeholder={t('form.option', { n: i + 1 })} maxLength={100} data-testid={`survey-question-${index}-option-${i}`} />
                                  </Form.Item>
                                  {options.length > 2 ? <Button type="text" icon={<DeleteOutlined />} aria-label={t('common:actions.delete')} onClick={() => ops.remove(o.name)} /> : null}
                                </Flex>
                              ))}
                              <Button type="dashed" icon={<PlusOutlined />} onClick={() => ops.add('')} disabled={options.length >= 20}>
                                {t('form.addOption')}
                              </Button>
                            </Flex>
                          )}
                        </Form.List>
                      );
                    }}
                  </Form.Item>
                </Card>
              ))}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ kind: 'single', title: '', required: true, options: ['', ''] })} disabled={fields.length >= 50} data-testid="survey-add-question">
                {t('form.addQuestion')}
              </Button>
            </Flex>
          )}
        </Form.List>
        <Flex gap={8} style={{ marginTop: 16 }}>
          <Button type="primary" htmlType="submit" loading={m.create.isPending || m.update.isPending} data-testid="survey-save">
            {t('common:actions.save')}
          </Button>
          <Button onClick={() => void navigate(-1)}>{t('common:actions.cancel')}</Button>
        </Flex>
      </Form>
    </>
  );
}

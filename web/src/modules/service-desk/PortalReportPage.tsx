import { useState } from 'react';
import { Button, Card, Col, Flex, Form, Input, Result, Row, Select, Steps, Tag, Typography } from 'antd';
import { ArrowLeftOutlined, BulbOutlined, CalendarOutlined, ClearOutlined, FrownOutlined, HomeOutlined, LikeOutlined, QuestionCircleOutlined, ToolOutlined, EnvironmentOutlined } from '@ant-design/icons';
import { Link, useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import type { ComponentType } from 'react';
import type { RequestType, ServiceCategory } from '@courtyard/contracts';
import { useMe } from '../../app/session';
import { PageHeader } from '../../ui/PageHeader';
import { useApiError } from '../../ui/useApiError';
import { usePortalHome } from '../people/api';
import { PhotoPicker } from './ActionDialog';
import { useCategories, useSubmitPortalRequest } from './api';

const TYPES: { type: RequestType; icon: ComponentType; color: string }[] = [
  { type: 'repair_room', icon: ToolOutlined, color: '#fa8c16' },
  { type: 'repair_public', icon: HomeOutlined, color: '#1677ff' },
  { type: 'complaint', icon: FrownOutlined, color: '#f5222d' },
  { type: 'cleaning', icon: ClearOutlined, color: '#13c2c2' },
  { type: 'greening', icon: EnvironmentOutlined, color: '#52c41a' },
  { type: 'appointment', icon: CalendarOutlined, color: '#722ed1' },
  { type: 'suggestion', icon: BulbOutlined, color: '#faad14' },
  { type: 'consultation', icon: QuestionCircleOutlined, color: '#2f54eb' },
  { type: 'praise', icon: LikeOutlined, color: '#eb2f96' },
];
/** Types about a public area rather than the owner's room. */
const PUBLIC: readonly RequestType[] = ['repair_public', 'cleaning', 'greening'];

/**
 * `/portal/requests/new` — report a problem in three taps (PRODUCT.md §3): 1. what (type, then the
 * category), 2. where and a description with photos, 3. submit. The community is the owner's (from
 * the room, or from their portal grant for a public area).
 */
export default function PortalReportPage() {
  const { t } = useTranslation('serviceDesk');
  const showError = useApiError();
  const navigate = useNavigate();
  const { me } = useMe();
  const communityId = me?.scopes['portal.self.use']?.[0];
  const home = usePortalHome();
  const categories = useCategories(communityId);
  const submit = useSubmitPortalRequest();
  const [type, setType] = useState<RequestType | null>(null);
  const [category, setCategory] = useState<ServiceCategory | null>(null);
  const [step, setStep] = useState(0);
  const [photos, setPhotos] = useState<File[]>([]);
  const [form] = Form.useForm<{ roomId?: string; location?: string; description: string }>();
  const rooms = home.data?.rooms ?? [];
  const isPublic = type !== null && PUBLIC.includes(type);
  const ofType = (categories.data?.items ?? []).filter((c) => c.type === type && c.active);

  const pick = (c: ServiceCategory | null) => {
    setCategory(c);
    setStep(1);
  };
  const send = (v: { roomId?: string; location?: string; description: string }) => {
    if (!type) return;
    submit.mutate(
      {
        body: {
          type,
          categoryId: category?.id ?? null,
          roomId: isPublic ? null : (v.roomId ?? rooms[0]?.id ?? null),
          ...(isPublic || !(v.roomId ?? rooms[0]?.id) ? { communityId, location: v.location?.trim() ?? '' } : {}),
          description: v.description.trim(),
        },
        photos,
      },
      { onSuccess: () => setStep(2), onError: (e) => showError(e, form) },
    );
  };

  return (
    <>
      <PageHeader
        title={t('portal.reportTitle')}
        extra={
          <Link to="/portal/requests">
            <Button icon={<ArrowLeftOutlined />}>{t('portal.title')}</Button>
          </Link>
        }
      />
      <Steps size="small" current={step} direction="horizontal" responsive={false} style={{ marginBottom: 16 }} items={[{ title: t('portal.stepWhat') }, { title: t('portal.stepDescribe') }, { title: t('portal.stepDone') }]} />
      {step === 0 ? (
        <Flex vertical gap={12}>
          <Row gutter={[8, 8]}>
            {TYPES.map(({ type: ty, icon: Icon, color }) => (
              <Col span={8} key={ty}>
                <Card hoverable size="small" onClick={() => (setType(ty), setCategory(null))} style={type === ty ? { borderColor: color, boxShadow: `0 0 0 1px ${color}` } : undefined} styles={{ body: { padding: 10, textAlign: 'center' } }} data-testid={`report-type-${ty}`}>
                  <span style={{ fontSize: 24, color }}>
                    <Icon />
                  </span>
                  <div style={{ fontSize: 13 }}>{t(`type.${ty}`)}</div>
                </Card>
              </Col>
            ))}
          </Row>
          {type ? (
            <Card size="small" title={t('portal.pickCategory')}>
              <Flex gap={8} wrap>
                {ofType.map((c) => (
                  <Tag.CheckableTag key={c.id} checked={false} onChange={() => pick(c)} style={{ padding: '6px 12px', fontSize: 14, border: '1px solid var(--ant-color-border)' }} data-testid={`report-category-${c.code}`}>
                    {c.name}
                  </Tag.CheckableTag>
                ))}
                <Tag.CheckableTag checked={false} onChange={() => pick(null)} style={{ padding: '6px 12px', fontSize: 14, border: '1px dashed var(--ant-color-border)' }} data-testid="report-category-other">
                  {ofType.length ? t('portal.otherCategory') : t('portal.next')}
                </Tag.CheckableTag>
              </Flex>
            </Card>
          ) : null}
        </Flex>
      ) : null}
      {step === 1 && type ? (
        <Card size="small" title={`${t(`type.${type}`)}${category ? ` · ${category.name}` : ''}`} extra={<Button type="link" size="small" onClick={() => setStep(0)}>{t('portal.change')}</Button>}>
          <Form form={form} layout="vertical" onFinish={send} initialValues={{ roomId: rooms[0]?.id }}>
            {!isPublic && rooms.length > 0 ? (
              <Form.Item name="roomId" label={t('field.room')} rules={[{ required: true }]}>
                <Select options={rooms.map((r) => ({ value: r.id, label: `${r.communityName} ${r.code}` }))} />
              </Form.Item>
            ) : (
              <Form.Item name="location" label={t('field.location')} rules={[{ required: true, whitespace: true }]} extra={t('portal.locationHint')}>
                <Input maxLength={200} data-testid="report-location" />
              </Form.Item>
            )}
            <Form.Item name="description" label={t('field.description')} rules={[{ required: true, whitespace: true, message: t('portal.describeRequired') }]}>
              <Input.TextArea rows={4} maxLength={2000} showCount placeholder={t('portal.describePlaceholder')} data-testid="report-description" />
            </Form.Item>
            <PhotoPicker photos={photos} onChange={setPhotos} />
            <Button type="primary" htmlType="submit" block size="large" loading={submit.isPending} style={{ marginTop: 16 }} data-testid="report-submit">
              {t('portal.submit')}
            </Button>
          </Form>
        </Card>
      ) : null}
      {step === 2 && submit.data ? (
        <Result
          status="success"
          title={t('portal.submitted', { number: submit.data.request.number })}
          subTitle={submit.data.failed ? t('portal.photosFailed', { count: submit.data.failed }) : t('portal.submittedHint')}
          extra={
            <Button type="primary" onClick={() => void navigate(`/portal/requests/${submit.data.request.id}`)} data-testid="report-view">
              {t('portal.view')}
            </Button>
          }
        />
      ) : null}
      <Typography.Paragraph type="secondary" style={{ marginTop: 16, fontSize: 12 }}>
        {t('portal.urgentHint')}
      </Typography.Paragraph>
    </>
  );
}

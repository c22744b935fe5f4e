import { useState } from 'react';
import { App, Button, Card, Flex, Form, Input, Select, Typography, Upload } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import type { UploadFile } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Feedback, FeedbackCategory } from '@courtyard/contracts';
import { filesApi } from '../../ui/Attachments';
import { DataTable } from '../../ui/DataTable';
import { PageHeader } from '../../ui/PageHeader';
import { formatDateTimeShort } from '../../ui/format';
import { useApiError } from '../../ui/useApiError';
import { feedbackApi, feedbackKeys, useFeedbackMutations } from './api';
import { CATEGORIES, FeedbackStateTag } from './labels';

function FeedbackCard({ f }: { f: Feedback }) {
  const { t } = useTranslation('feedback');
  return (
    <Card size="small" data-testid={`my-feedback-${f.id}`}>
      <Flex justify="space-between" gap={8}>
        <Typography.Text type="secondary" style={{ fontSize: 13 }}>
          {t(`category.${f.category}`)} · {formatDateTimeShort(f.createdAt)}
        </Typography.Text>
        <FeedbackStateTag state={f.state} />
      </Flex>
      <Typography.Paragraph style={{ margin: '8px 0', whiteSpace: 'pre-wrap' }}>{f.body}</Typography.Paragraph>
      <Typography.Text type={f.response ? undefined : 'secondary'} style={{ whiteSpace: 'pre-wrap' }}>
        <strong>{t('response')}：</strong>
        {f.response ?? t('noResponse')}
      </Typography.Text>
    </Card>
  );
}

/** `/feedback` (console) and `/portal/feedback`: send feedback about the system, see my items and their answers. */
export default function MyFeedbackPage() {
  const { t } = useTranslation(['feedback', 'common']);
  const { message } = App.useApp();
  const showError = useApiError();
  const m = useFeedbackMutations();
  const [form] = Form.useForm<{ category: FeedbackCategory; body: string }>();
  const [files, setFiles] = useState<UploadFile[]>([]);
  const [busy, setBusy] = useState(false);

  /** The screenshot is attached to the created item (files module, owner type `feedback`). */
  const attach = async (feedbackId: string) => {
    const shot = files[0]?.originFileObj;
    try {
      setBusy(true);
      if (shot) await filesApi.upload('feedback', feedbackId, 'screenshot', shot, shot.name);
      void message.success(t('sent'));
    } catch (e) {
      showError(e);
    } finally {
      setBusy(false);
    }
    form.resetFields();
    setFiles([]);
  };
  const send = (v: { category: FeedbackCategory; body: string }) => {
    m.send.mutate(v, { onSuccess: (f) => void attach(f.id), onError: (e) => showError(e, form) });
  };

  return (
    <>
      <PageHeader title={t('title')} subtitle={t('subtitle')} />
      <Card size="small" title={t('send')} style={{ marginBottom: 16 }}>
        <Form form={form} layout="vertical" requiredMark={false} initialValues={{ category: 'function', body: '' }} onFinish={send}>
          <Form.Item name="category" label={t('form.category')}>
            <Select options={CATEGORIES.map((c) => ({ value: c, label: t(`category.${c}`) }))} data-testid="feedback-category" />
          </Form.Item>
          <Form.Item name="body" label={t('form.body')} rules={[{ required: true, whitespace: true, message: t('common:form.required') }]}>
            <Input.TextArea rows={4} maxLength={4000} placeholder={t('form.bodyPlaceholder')} data-testid="feedback-body" />
          </Form.Item>
          <Form.Item label={t('form.screenshot')}>
            <Upload accept="image/png,image/jpeg,image/webp" maxCount={1} fileList={files} beforeUpload={() => false} onChange={({ fileList }) => setFiles(fileList)}>
              <Button icon={<UploadOutlined />}>{t('form.screenshot')}</Button>
            </Upload>
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={m.send.isPending || busy} data-testid="feedback-send">
            {t('common:actions.submit')}
          </Button>
        </Form>
      </Card>
      <Typography.Title level={5}>{t('mine')}</Typography.Title>
      <DataTable<Feedback>
        queryKey={feedbackKeys.mine}
        fetchPage={(cursor, signal) => feedbackApi.mine(cursor, signal)}
        rowKey={(f) => f.id}
        columns={[
          { title: t('columns.createdAt'), dataIndex: 'createdAt', width: 140, render: (_: unknown, f: Feedback) => formatDateTimeShort(f.createdAt) },
          { title: t('columns.category'), dataIndex: 'category', width: 90, render: (_: unknown, f: Feedback) => t(`category.${f.category}`) },
          { title: t('columns.body'), dataIndex: 'body', render: (_: unknown, f: Feedback) => <span style={{ whiteSpace: 'pre-wrap' }}>{f.body}</span> },
          { title: t('response'), dataIndex: 'response', render: (_: unknown, f: Feedback) => f.response ?? <Typography.Text type="secondary">{t('noResponse')}</Typography.Text> },
          { title: t('columns.state'), dataIndex: 'state', width: 100, render: (_: unknown, f: Feedback) => <FeedbackStateTag state={f.state} /> },
        ]}
        renderCard={(f) => <FeedbackCard f={f} />}
      />
    </>
  );
}

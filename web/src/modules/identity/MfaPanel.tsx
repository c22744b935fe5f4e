import { useState } from 'react';
import { Alert, App, Button, Card, Flex, Form, Input, Space, Tag, Typography } from 'antd';
import { SafetyCertificateOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { MfaEnrolment } from '@courtyard/contracts';
import { meKey, useMe, useStoreMe } from '../../app/session';
import { useApiError } from '../../ui/useApiError';
import { OneTimeSecret } from '../../ui/OneTimeSecret';
import { authApi } from './api';

/** Two-factor: enrol (QR + key, confirm with a code, recovery codes once) or turn off. */
export function MfaPanel() {
  const { t } = useTranslation('identity');
  const { message } = App.useApp();
  const { me } = useMe();
  const client = useQueryClient();
  const storeMe = useStoreMe();
  const showError = useApiError();
  const [enrolment, setEnrolment] = useState<MfaEnrolment | null>(null);
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirmForm] = Form.useForm<{ code: string }>();
  const [disableForm] = Form.useForm<{ password: string }>();
  if (!me) return null;

  const start = async () => {
    setBusy(true);
    try {
      setEnrolment(await authApi.startMfa());
      confirmForm.resetFields();
    } catch (error) {
      showError(error);
    } finally {
      setBusy(false);
    }
  };

  const confirm = async ({ code }: { code: string }) => {
    setBusy(true);
    try {
      const result = await authApi.confirmMfa(code.trim());
      setRecoveryCodes(result.recoveryCodes);
      setEnrolment(null);
      void message.success(t('mfa.enabled'));
      await client.invalidateQueries({ queryKey: meKey });
    } catch (error) {
      showError(error, confirmForm);
    } finally {
      setBusy(false);
    }
  };

  const disable = async ({ password }: { password: string }) => {
    setBusy(true);
    try {
      storeMe(await authApi.disableMfa(password));
      disableForm.resetFields();
      void message.success(t('mfa.disabled'));
    } catch (error) {
      showError(error, disableForm);
    } finally {
      setBusy(false);
    }
  };

  if (recoveryCodes) {
    return (
      <Card title={t('mfa.recoveryTitle')} style={{ maxWidth: 640 }}>
        <OneTimeSecret warning={t('mfa.recoveryWarning')} values={recoveryCodes} copyLabel={t('mfa.copyAll')} testId="recovery-codes" />
        <Button type="primary" style={{ marginTop: 16 }} onClick={() => setRecoveryCodes(null)} data-testid="recovery-done">
          {t('mfa.savedThem')}
        </Button>
      </Card>
    );
  }

  if (me.user.mfaEnabled) {
    return (
      <Flex vertical gap={16} style={{ maxWidth: 640 }}>
        <Alert type="success" showIcon icon={<SafetyCertificateOutlined />} title={<span data-testid="mfa-status">{t('mfa.statusOn')}</span>} />
        <Card title={t('mfa.disable')} size="small">
          <Typography.Paragraph type="secondary">{t('mfa.disableHint')}</Typography.Paragraph>
          <Form form={disableForm} layout="vertical" onFinish={(v) => void disable(v)} requiredMark={false}>
            <Form.Item name="password" label={t('password.current')} rules={[{ required: true, message: t('password.required') }]}>
              <Input.Password autoComplete="current-password" style={{ maxWidth: 320 }} />
            </Form.Item>
            <Button danger htmlType="submit" loading={busy}>
              {t('mfa.disable')}
            </Button>
          </Form>
        </Card>
      </Flex>
    );
  }

  return (
    <Flex vertical gap={16} style={{ maxWidth: 640 }}>
      {me.mfaEnrollmentRequired ? (
        <Alert type="warning" showIcon title={t('mfa.requiredTitle')} description={t('mfa.requiredHint')} data-testid="mfa-required" />
      ) : null}
      <Space>
        <Tag color="default" data-testid="mfa-status">
          {t('mfa.statusOff')}
        </Tag>
      </Space>
      {enrolment ? (
        <Card>
          <Typography.Paragraph strong>{t('mfa.scanHint')}</Typography.Paragraph>
          <Flex wrap gap={24} align="center">
            <img src={enrolment.qrDataUrl} alt={t('mfa.qrAlt')} width={180} height={180} style={{ flex: 'none', background: '#fff' }} data-testid="mfa-qr" />
            <div style={{ minWidth: 0, flex: '1 1 220px' }}>
              <Typography.Text type="secondary">{t('mfa.secret')}</Typography.Text>
              <Flex align="center" gap={4} wrap>
                <code
                  data-testid="mfa-secret"
                  style={{ fontSize: 15, letterSpacing: 1, wordBreak: 'break-all', userSelect: 'all' }}
                >
                  {enrolment.secret}
                </code>
                <Typography.Text copyable={{ text: enrolment.secret }} />
              </Flex>
            </div>
          </Flex>
          <Typography.Paragraph strong style={{ marginTop: 24 }}>
            {t('mfa.confirmHint')}
          </Typography.Paragraph>
          <Form form={confirmForm} layout="inline" onFinish={(v) => void confirm(v)} requiredMark={false} style={{ rowGap: 12 }}>
            <Form.Item
              name="code"
              rules={[
                { required: true, message: t('mfa.codeFormat') },
                { pattern: /^\s*\d{6}\s*$/, message: t('mfa.codeFormat') },
              ]}
            >
              <Input
                placeholder={t('mfa.confirmCode')}
                inputMode="numeric"
                autoComplete="one-time-code"
                maxLength={6}
                style={{ width: 180 }}
                data-testid="mfa-confirm-code"
              />
            </Form.Item>
            <Form.Item>
              <Button type="primary" htmlType="submit" loading={busy} data-testid="mfa-confirm">
                {t('mfa.confirm')}
              </Button>
            </Form.Item>
          </Form>
        </Card>
      ) : (
        <Card>
          <Typography.Paragraph>{t('mfa.intro')}</Typography.Paragraph>
          <Button type="primary" icon={<SafetyCertificateOutlined />} loading={busy} onClick={() => void start()} data-testid="mfa-start">
            {t('mfa.start')}
          </Button>
        </Card>
      )}
    </Flex>
  );
}

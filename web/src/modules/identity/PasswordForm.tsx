import { useState } from 'react';
import { Button, Form, Input, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Me } from '@courtyard/contracts';
import { useStoreMe } from '../../app/session';
import { useApiError } from '../../ui/useApiError';
import { isApiError } from '../../ui/api';
import { authApi } from './api';

interface Values {
  currentPassword: string;
  newPassword: string;
  confirm: string;
}

/** Current password + new password twice (`POST /api/auth/password`). */
export function PasswordForm({ onChanged }: { onChanged?: (me: Me) => void }) {
  const { t } = useTranslation('identity');
  const [form] = Form.useForm<Values>();
  const storeMe = useStoreMe();
  const showError = useApiError();
  const [busy, setBusy] = useState(false);

  const submit = async (values: Values) => {
    setBusy(true);
    try {
      const me = await authApi.changePassword({ currentPassword: values.currentPassword, newPassword: values.newPassword });
      storeMe(me);
      form.resetFields();
      onChanged?.(me);
    } catch (error) {
      showError(error, form);
      // Name the field the server complained about even when it sent no field list.
      if (isApiError(error, 'auth.password_wrong')) form.setFields([{ name: 'currentPassword', errors: [error.detail] }]);
      if (isApiError(error) && (error.code === 'auth.password_weak' || error.code === 'auth.password_reused')) {
        form.setFields([{ name: 'newPassword', errors: [error.detail] }]);
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form form={form} layout="vertical" onFinish={(v) => void submit(v)} requiredMark={false} style={{ maxWidth: 420 }}>
      <Form.Item name="currentPassword" label={t('password.current')} rules={[{ required: true, message: t('password.required') }]}>
        <Input.Password autoComplete="current-password" data-testid="password-current" />
      </Form.Item>
      <Form.Item
        name="newPassword"
        label={t('password.new')}
        rules={[{ required: true, message: t('password.required') }]}
        extra={<Typography.Text type="secondary">{t('password.policy')}</Typography.Text>}
      >
        <Input.Password autoComplete="new-password" data-testid="password-new" />
      </Form.Item>
      <Form.Item
        name="confirm"
        label={t('password.confirm')}
        dependencies={['newPassword']}
        rules={[
          { required: true, message: t('password.required') },
          ({ getFieldValue }) => ({
            validator: (_, value) =>
              !value || getFieldValue('newPassword') === value ? Promise.resolve() : Promise.reject(new Error(t('password.mismatch'))),
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" data-testid="password-confirm" />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={busy} data-testid="password-submit">
        {t('password.submit')}
      </Button>
    </Form>
  );
}

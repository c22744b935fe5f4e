import { useState } from 'react';
import { Alert, Button, Form, Input, Typography } from 'antd';
import { LockOutlined, SafetyOutlined, UserOutlined } from '@ant-design/icons';
import { useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import type { Me, SignInBody } from '@courtyard/contracts';
import { isApiError, type ApiError } from '../../ui/api';
import { applyProblemToForm } from '../../ui/useApiError';
import { formatDateTime } from '../../ui/format';
import { useStoreMe } from '../../app/session';
import { authApi } from './api';

export interface SignInFormProps {
  /** Where to go once signed in. */
  next: string;
}

function SignInError({ error }: { error: ApiError | Error }) {
  const { t } = useTranslation('identity');
  const { t: tc } = useTranslation();
  if (!isApiError(error)) {
    return <Alert type="error" showIcon title={tc('errors.unexpected')} data-testid="signin-error" data-code="unexpected" />;
  }
  let description: string | undefined;
  if (error.code === 'auth.locked') {
    description = error.lockedUntil ? t('signin.lockedUntil', { time: formatDateTime(error.lockedUntil) }) : t('signin.lockedByAdmin');
  }
  return (
    <Alert
      type={error.code === 'auth.locked' ? 'warning' : 'error'}
      showIcon
      title={error.detail}
      description={description}
      data-testid="signin-error"
      data-code={error.code}
    />
  );
}

/** Username + password, then (when the account uses two-factor) a TOTP or recovery code. */
export function SignInForm({ next }: SignInFormProps) {
  const { t } = useTranslation('identity');
  const navigate = useNavigate();
  const storeMe = useStoreMe();
  const [form] = Form.useForm<SignInBody>();
  const [mfaForm] = Form.useForm<{ code: string }>();
  const [challengeId, setChallengeId] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | Error | null>(null);
  const [busy, setBusy] = useState(false);

  const finish = async (me: Me) => {
    storeMe(me);
    await navigate(next, { replace: true });
  };

  const fail = (caught: unknown, target: typeof form | typeof mfaForm) => {
    if (caught instanceof Error) setError(caught);
    applyProblemToForm(target, caught);
    if (isApiError(caught, 'auth.mfa_challenge_expired')) {
      setChallengeId(null);
      form.setFieldValue('password', '');
    }
  };

  const signIn = async (values: SignInBody) => {
    setBusy(true);
    setError(null);
    try {
      const result = await authApi.signIn({ username: values.username.trim(), password: values.password });
      if (result.status === 'signed_in') await finish(result.me);
      else {
        setChallengeId(result.challengeId);
        mfaForm.resetFields();
      }
    } catch (caught) {
      fail(caught, form);
    } finally {
      setBusy(false);
    }
  };

  const verify = async ({ code }: { code: string }) => {
    if (!challengeId) return;
    setBusy(true);
    setError(null);
    try {
      const result = await authApi.verifyMfa(challengeId, code.trim());
      if (result.status === 'signed_in') await finish(result.me);
    } catch (caught) {
      fail(caught, mfaForm);
    } finally {
      setBusy(false);
    }
  };

  if (challengeId) {
    return (
      <Form form={mfaForm} layout="vertical" onFinish={(v) => void verify(v)} requiredMark={false} size="large">
        <Typography.Title level={4} style={{ marginTop: 0 }}>
          {t('signin.mfaTitle')}
        </Typography.Title>
        <Typography.Paragraph type="secondary">{t('signin.mfaHint')}</Typography.Paragraph>
        {error ? (
          <div style={{ marginBottom: 16 }}>
            <SignInError error={error} />
          </div>
        ) : null}
        <Form.Item
          name="code"
          label={t('signin.mfaCode')}
          rules={[{ required: true, whitespace: true, message: t('signin.mfaCodeRequired') }]}
        >
          <Input
            prefix={<SafetyOutlined />}
            autoComplete="one-time-code"
            inputMode="text"
            maxLength={20}
            autoFocus
            data-testid="mfa-code"
          />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={busy} data-testid="mfa-submit">
          {t('signin.mfaSubmit')}
        </Button>
        <Button
          type="link"
          block
          style={{ marginTop: 8 }}
          onClick={() => {
            setChallengeId(null);
            setError(null);
            form.setFieldValue('password', '');
          }}
        >
          {t('signin.mfaBack')}
        </Button>
      </Form>
    );
  }

  return (
    <Form form={form} layout="vertical" onFinish={(v) => void signIn(v)} requiredMark={false} size="large">
      {error ? (
        <div style={{ marginBottom: 16 }}>
          <SignInError error={error} />
        </div>
      ) : null}
      <Form.Item name="username" label={t('signin.username')} rules={[{ required: true, whitespace: true, message: t('signin.usernameRequired') }]}>
        <Input prefix={<UserOutlined />} autoComplete="username" autoCapitalize="none" spellCheck={false} autoFocus data-testid="signin-username" />
      </Form.Item>
      <Form.Item name="password" label={t('signin.password')} rules={[{ required: true, message: t('signin.passwordRequired') }]}>
        <Input.Password prefix={<LockOutlined />} autoComplete="current-password" data-testid="signin-password" />
      </Form.Item>
      <Button type="primary" htmlType="submit" block loading={busy} data-testid="signin-submit">
        {t('signin.submit')}
      </Button>
    </Form>
  );
}

import { useState } from 'react';
import { App, Button, Form, Input, Modal, Select } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { LOCALES, type CreateUserBody, type Locale, type UserKind } from '@courtyard/contracts';
import { currentLocale } from '../../app/i18n';
import { OneTimeSecret } from '../../ui/OneTimeSecret';
import { useApiError } from '../../ui/useApiError';
import { identityKeys, usersApi, type CreatedUserResult } from './api';

interface Values {
  username: string;
  displayName: string;
  kind: UserKind;
  locale: Locale;
  email?: string;
  phone?: string;
  password?: string;
}

/** New user; a generated initial password is shown once. */
export function CreateUserModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation(['identity', 'common']);
  const { message } = App.useApp();
  const client = useQueryClient();
  const showError = useApiError();
  const [form] = Form.useForm<Values>();
  const [created, setCreated] = useState<CreatedUserResult | null>(null);

  const create = useMutation({
    mutationFn: (values: Values) => {
      const body: CreateUserBody = {
        username: values.username.trim(),
        displayName: values.displayName.trim(),
        kind: values.kind,
        locale: values.locale,
      };
      if (values.email?.trim()) body.email = values.email.trim();
      if (values.phone?.trim()) body.phone = values.phone.trim();
      if (values.password) body.password = values.password;
      return usersApi.create(body);
    },
    onSuccess: async (result) => {
      void message.success(t('users.created'));
      form.resetFields();
      await client.invalidateQueries({ queryKey: identityKeys.users });
      if (result.initialPassword) setCreated(result);
      else onClose();
    },
    onError: (error) => showError(error, form),
  });

  const close = () => {
    setCreated(null);
    onClose();
  };

  return (
    <Modal
      open={open}
      title={created ? t('users.initialPasswordTitle') : t('users.createTitle')}
      onCancel={close}
      destroyOnHidden
      footer={
        created ? (
          <Button type="primary" onClick={close}>
            {t('common:actions.done')}
          </Button>
        ) : (
          <>
            <Button onClick={close}>{t('common:actions.cancel')}</Button>
            <Button type="primary" loading={create.isPending} onClick={() => form.submit()} data-testid="user-create-submit">
              {t('common:actions.save')}
            </Button>
          </>
        )
      }
    >
      {created?.initialPassword ? (
        <OneTimeSecret
          warning={t('users.initialPasswordHint')}
          values={[created.initialPassword]}
          testId="initial-password"
        />
      ) : (
        <Form<Values>
          form={form}
          layout="vertical"
          requiredMark={false}
          initialValues={{ kind: 'staff', locale: currentLocale() }}
          onFinish={(values) => create.mutate(values)}
        >
          <Form.Item
            name="username"
            label={t('users.columns.username')}
            extra={t('users.usernameHint')}
            rules={[
              { required: true, message: t('common:form.required') },
              { pattern: /^[A-Za-z0-9_.@-]{3,64}$/, message: t('users.usernameHint') },
            ]}
          >
            <Input autoComplete="off" autoCapitalize="none" data-testid="user-form-username" />
          </Form.Item>
          <Form.Item name="displayName" label={t('users.columns.displayName')} rules={[{ required: true, whitespace: true, message: t('common:form.required') }]}>
            <Input maxLength={100} data-testid="user-form-displayName" />
          </Form.Item>
          <Form.Item name="kind" label={t('users.columns.kind')}>
            <Select<UserKind>
              options={[
                { value: 'staff', label: t('kind.staff') },
                { value: 'owner', label: t('kind.owner') },
              ]}
            />
          </Form.Item>
          <Form.Item name="locale" label={t('users.columns.locale')}>
            <Select<Locale> options={LOCALES.map((l) => ({ value: l, label: t(`common:language.${l}`) }))} />
          </Form.Item>
          <Form.Item name="phone" label={t('users.columns.phone')} rules={[{ pattern: /^\+?[0-9]{5,20}$/, message: t('users.phoneInvalid') }]}>
            <Input inputMode="tel" maxLength={21} />
          </Form.Item>
          <Form.Item name="email" label={t('users.columns.email')} rules={[{ type: 'email', message: t('users.emailInvalid') }]}>
            <Input inputMode="email" maxLength={200} />
          </Form.Item>
          <Form.Item name="password" label={t('users.passwordOptional')} extra={t('users.passwordOptionalHint')}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        </Form>
      )}
    </Modal>
  );
}

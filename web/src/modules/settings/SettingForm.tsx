import { createContext, useContext, type ReactNode } from 'react';
import { Alert, App, Button, Card, ConfigProvider, Flex, Form, Popconfirm, Skeleton, Space, Tag, Typography, theme } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { SettingKey, SettingView } from '@courtyard/contracts';
import { formatDateTimeShort } from '../../ui/format';
import { useErrorText } from '../../ui/useApiError';
import { changedFields, settingFieldErrors, settingsApi, settingsKeys, useSetting, type SettingPatch } from './api';

type Values = Record<string, unknown>;

interface SettingFormState {
  view: SettingView;
  canEdit: boolean;
  /** Sends `null` for a secret field, which removes the stored value. */
  clearSecret: (name: string, label: string) => void;
  clearing: string | null;
}

const SettingFormContext = createContext<SettingFormState | null>(null);

/** The state of the enclosing {@link SettingForm} (for fields that need more than a name). */
export function useSettingForm(): SettingFormState {
  const state = useContext(SettingFormContext);
  if (!state) throw new Error('useSettingForm outside a SettingForm');
  return state;
}

export interface SettingFormProps {
  settingKey: SettingKey;
  /** null: the organisation's value; an id: that community's override (only for keys that allow one). */
  communityId?: string | null;
  canEdit: boolean;
  title: ReactNode;
  hint?: ReactNode;
  /** Shown above the fields, e.g. the scope picker. */
  header?: ReactNode;
  testId: string;
  /** The fields (`Form.Item`s named after the setting's fields). */
  children: ReactNode;
}

/**
 * One setting as a card with its form. It sends only the changed fields (`PUT /api/settings/:key`),
 * puts the server's `/body/value/<field>` errors on the fields and shows the saved value after a
 * save. For a community it also shows whether the community has its own value and offers to go
 * back to the organisation default. Give it a `key` per scope: the form starts from the loaded value.
 */
export function SettingForm({ settingKey, communityId = null, canEdit, title, hint, header, testId, children }: SettingFormProps) {
  const { t } = useTranslation(['settings', 'common']);
  const { message } = App.useApp();
  const client = useQueryClient();
  const errorText = useErrorText();
  const [form] = Form.useForm<Values>();
  const { token } = theme.useToken();
  const setting = useSetting(settingKey, communityId);
  const view = setting.data;

  const stored = async (next: SettingView) => {
    client.setQueryData(settingsKeys.one(settingKey, communityId), next);
    await client.invalidateQueries({ queryKey: settingsKeys.all });
  };
  const failed = (error: unknown) => {
    const known = new Set(Object.keys(form.getFieldsValue(true) as Values));
    const fields = settingFieldErrors(error).filter((f) => known.has(f.name));
    form.setFields(fields);
    void message.error(fields.length ? t('invalid') : errorText(error));
  };

  const save = useMutation({
    mutationFn: (patch: SettingPatch) => settingsApi.update(settingKey, patch, communityId),
    onSuccess: async (next) => {
      // Secrets come back blank: the password fields empty again, the tags say "set".
      form.setFieldsValue(next.value);
      void message.success(t('saved'));
      await stored(next);
    },
    onError: failed,
  });
  const clear = useMutation({
    mutationFn: ({ name }: { name: string; label: string }) => settingsApi.update(settingKey, { [name]: null }, communityId),
    onSuccess: async (next, { name, label }) => {
      form.setFieldsValue({ [name]: '' });
      void message.success(t('secret.cleared', { field: label }));
      await stored(next);
    },
    onError: failed,
  });
  const restore = useMutation({
    mutationFn: (id: string) => settingsApi.clearOverride(settingKey, id),
    onSuccess: async (next) => {
      form.resetFields();
      form.setFieldsValue(next.value);
      void message.success(t('locale.restored'));
      await stored(next);
    },
    onError: failed,
  });

  const state: SettingFormState | null = view
    ? {
        view,
        canEdit,
        clearSecret: (name, label) => clear.mutate({ name, label }),
        clearing: clear.isPending ? clear.variables.name : null,
      }
    : null;

  const submit = (values: Values) => {
    if (!view) return;
    const patch = changedFields(settingKey, view.value, values);
    if (Object.keys(patch).length === 0) {
      void message.info(t('noChanges'));
      return;
    }
    save.mutate(patch);
  };

  let body: ReactNode;
  if (setting.error) {
    body = (
      <Alert
        type="error"
        showIcon
        title={errorText(setting.error)}
        action={
          <Button size="small" onClick={() => void setting.refetch()}>
            {t('common:actions.retry')}
          </Button>
        }
      />
    );
  } else if (!view || !state) {
    body = <Skeleton active paragraph={{ rows: 3 }} />;
  } else {
    const override = communityId !== null;
    body = (
      // Read-only values stay readable: disabled text as secondary text, not as faint as a placeholder.
      <ConfigProvider theme={canEdit ? undefined : { token: { colorTextDisabled: token.colorTextSecondary } }}>
        <SettingFormContext.Provider value={state}>
          <Form<Values>
            form={form}
            layout="vertical"
            requiredMark={false}
            initialValues={view.value}
            disabled={!canEdit}
            onFinish={submit}
            onFinishFailed={() => void message.error(t('invalid'))}
            data-testid={testId}
            data-stored={view.stored ? 'true' : 'false'}
          >
            {children}
            <Flex wrap justify="space-between" align="center" gap={8}>
              <Space wrap size={8}>
                {override ? (
                  <ConfigProvider componentDisabled={false}>
                    <Tag color={view.stored ? 'blue' : 'default'} data-testid={`settings-override-${settingKey}`}>
                      {view.stored ? t('locale.overridden') : t('locale.inherited')}
                    </Tag>
                  </ConfigProvider>
                ) : null}
                <Typography.Text type="secondary">
                  {view.updatedAt ? t('updatedAt', { time: formatDateTimeShort(view.updatedAt) }) : override ? null : t('defaults')}
                </Typography.Text>
              </Space>
              {canEdit ? (
                <Space wrap size={8}>
                  {override && view.stored ? (
                    <Popconfirm
                      title={t('locale.useDefaultConfirm')}
                      okText={t('common:actions.confirm')}
                      cancelText={t('common:actions.cancel')}
                      onConfirm={() => restore.mutate(communityId)}
                    >
                      <Button loading={restore.isPending} data-testid={`settings-restore-${settingKey}`}>
                        {t('locale.useDefault')}
                      </Button>
                    </Popconfirm>
                  ) : null}
                  <Button type="primary" htmlType="submit" loading={save.isPending} data-testid={`settings-save-${settingKey}`}>
                    {t('save')}
                  </Button>
                </Space>
              ) : null}
            </Flex>
          </Form>
        </SettingFormContext.Provider>
      </ConfigProvider>
    );
  }

  return (
    <Card title={title} size="small" styles={{ body: { paddingBlock: 16 } }}>
      {hint ? (
        <Typography.Paragraph type="secondary" style={{ marginTop: 0 }}>
          {hint}
        </Typography.Paragraph>
      ) : null}
      {header}
      {body}
    </Card>
  );
}

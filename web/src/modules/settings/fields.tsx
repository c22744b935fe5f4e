import type { ReactNode } from 'react';
import { Button, Col, ConfigProvider, Flex, Form, Input, InputNumber, Popconfirm, Row, Space, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSettingForm } from './SettingForm';

/** Two columns on wide screens, one on phones. */
export function FieldGrid({ children }: { children: ReactNode }) {
  return <Row gutter={16}>{children}</Row>;
}

/** A cell of {@link FieldGrid}; `wide` spans both columns. */
export function FieldCell({ children, wide = false, hidden = false }: { children: ReactNode; wide?: boolean; hidden?: boolean }) {
  if (hidden) return <div hidden>{children}</div>;
  return (
    <Col xs={24} md={wide ? 24 : 12}>
      {children}
    </Col>
  );
}

/** An integer field with the catalogue's bounds and a unit after the number. */
export function IntegerField({ name, label, min, max, unit, extra }: { name: string; label: string; min: number; max: number; unit?: string; extra?: ReactNode }) {
  const { t } = useTranslation('common');
  return (
    <Form.Item name={name} label={label} extra={extra} rules={[{ required: true, message: t('form.required') }]}>
      <InputNumber<number> min={min} max={max} precision={0} suffix={unit} style={{ width: '100%' }} data-testid={`settings-field-${name}`} />
    </Form.Item>
  );
}

/**
 * A secret field (password, access key secret): never prefilled. A tag says whether a value is
 * stored; typing replaces it on save, leaving it empty keeps it, "Clear" removes it at once.
 */
export function SecretField({ name, label, testId }: { name: string; label: string; testId?: string }) {
  const { t } = useTranslation(['settings', 'common']);
  const { view, canEdit, clearSecret, clearing } = useSettingForm();
  const set = view.secretsSet.includes(name);
  return (
    <Form.Item
      label={
        <Space size={6}>
          {label}
          {/* The state tag is information, not a control: keep its colour when the form is read-only. */}
          <ConfigProvider componentDisabled={false}>
            <Tag color={set ? 'green' : 'default'} data-testid={`settings-secret-${name}`} data-set={set ? 'true' : 'false'}>
              {set ? t('secret.set') : t('secret.notSet')}
            </Tag>
          </ConfigProvider>
        </Space>
      }
      extra={t('secret.hint')}
    >
      <Flex gap={8}>
        <Form.Item name={name} noStyle>
          <Input.Password
            autoComplete="new-password"
            placeholder={canEdit ? (set ? t('secret.keep') : t('secret.enter')) : undefined}
            maxLength={500}
            data-testid={testId ?? `settings-secret-input-${name}`}
          />
        </Form.Item>
        {set && canEdit ? (
          <Popconfirm
            title={t('secret.clearConfirm', { field: label })}
            okText={t('common:actions.confirm')}
            cancelText={t('common:actions.cancel')}
            okButtonProps={{ danger: true }}
            onConfirm={() => clearSecret(name, label)}
          >
            <Button danger loading={clearing === name} data-testid={`settings-secret-clear-${name}`}>
              {t('secret.clear')}
            </Button>
          </Popconfirm>
        ) : null}
      </Flex>
    </Form.Item>
  );
}

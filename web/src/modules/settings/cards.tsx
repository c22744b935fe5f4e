import { Alert, Form, Input, Select, Switch } from 'antd';
import { useTranslation } from 'react-i18next';
import { SETTINGS } from '@courtyard/contracts';
import { SettingForm } from './SettingForm';
import { FieldCell, FieldGrid, IntegerField, SecretField } from './fields';

/** `organisation.profile`: the property company's name and contacts. */
export function OrganisationCard({ canEdit }: { canEdit: boolean }) {
  const { t } = useTranslation(['settings', 'common']);
  return (
    <SettingForm settingKey="organisation.profile" canEdit={canEdit} title={t('organisation.title')} hint={t('organisation.hint')} testId="settings-organisation-form">
      <FieldGrid>
        <FieldCell>
          <Form.Item name="name" label={t('organisation.name')} rules={[{ required: true, whitespace: true, message: t('common:form.required') }]}>
            <Input maxLength={100} data-testid="settings-field-name" />
          </Form.Item>
        </FieldCell>
        <FieldCell>
          <Form.Item name="shortName" label={t('organisation.shortName')}>
            <Input maxLength={30} />
          </Form.Item>
        </FieldCell>
        <FieldCell wide>
          <Form.Item name="address" label={t('organisation.address')}>
            <Input maxLength={200} />
          </Form.Item>
        </FieldCell>
        <FieldCell>
          <Form.Item name="phone" label={t('organisation.phone')}>
            <Input maxLength={30} inputMode="tel" />
          </Form.Item>
        </FieldCell>
        <FieldCell>
          <Form.Item name="email" label={t('organisation.email')}>
            <Input maxLength={200} inputMode="email" />
          </Form.Item>
        </FieldCell>
      </FieldGrid>
    </SettingForm>
  );
}

/** `security.accounts`: lockout, session timeouts, staff password expiry. */
export function SecurityCard({ canEdit }: { canEdit: boolean }) {
  const { t } = useTranslation('settings');
  const bounds = SETTINGS['security.accounts'].schema.properties;
  const range = (name: keyof typeof bounds) => ({ min: bounds[name].minimum ?? 0, max: bounds[name].maximum ?? Number.MAX_SAFE_INTEGER });
  return (
    <SettingForm settingKey="security.accounts" canEdit={canEdit} title={t('security.title')} hint={t('security.hint')} testId="settings-security-form">
      <FieldGrid>
        <FieldCell>
          <IntegerField name="lockThreshold" label={t('security.lockThreshold')} unit={t('security.units.times')} {...range('lockThreshold')} />
        </FieldCell>
        <FieldCell>
          <IntegerField name="lockMinutes" label={t('security.lockMinutes')} unit={t('security.units.minutes')} {...range('lockMinutes')} />
        </FieldCell>
        <FieldCell>
          <IntegerField name="idleMinutes" label={t('security.idleMinutes')} unit={t('security.units.minutes')} {...range('idleMinutes')} />
        </FieldCell>
        <FieldCell>
          <IntegerField name="absoluteHours" label={t('security.absoluteHours')} unit={t('security.units.hours')} {...range('absoluteHours')} />
        </FieldCell>
        <FieldCell>
          <IntegerField
            name="staffPasswordExpiryDays"
            label={t('security.staffPasswordExpiryDays')}
            unit={t('security.units.days')}
            extra={t('security.expiryHint')}
            {...range('staffPasswordExpiryDays')}
          />
        </FieldCell>
      </FieldGrid>
    </SettingForm>
  );
}

/** `notifications.email`: the SMTP server. */
export function EmailCard({ canEdit }: { canEdit: boolean }) {
  const { t } = useTranslation('settings');
  return (
    <SettingForm settingKey="notifications.email" canEdit={canEdit} title={t('email.title')} testId="settings-email-form">
      <FieldGrid>
        <FieldCell wide>
          <Form.Item name="enabled" label={t('email.enabled')} valuePropName="checked">
            <Switch data-testid="settings-email-enabled" />
          </Form.Item>
        </FieldCell>
        <FieldCell>
          <Form.Item name="host" label={t('email.host')}>
            <Input maxLength={200} placeholder="smtp.example.com" autoCapitalize="none" data-testid="settings-email-host" />
          </Form.Item>
        </FieldCell>
        <FieldCell>
          <IntegerField name="port" label={t('email.port')} min={1} max={65535} />
        </FieldCell>
        <FieldCell wide>
          <Form.Item name="secure" label={t('email.secure')} valuePropName="checked" extra={t('email.secureHint')}>
            <Switch data-testid="settings-email-secure" />
          </Form.Item>
        </FieldCell>
        <FieldCell>
          <Form.Item name="user" label={t('email.user')}>
            <Input maxLength={200} autoComplete="off" autoCapitalize="none" data-testid="settings-email-user" />
          </Form.Item>
        </FieldCell>
        <FieldCell>
          <SecretField name="password" label={t('email.password')} testId="settings-email-password" />
        </FieldCell>
        <FieldCell wide>
          <Form.Item name="from" label={t('email.from')} extra={t('email.fromHint')}>
            <Input maxLength={200} data-testid="settings-email-from" />
          </Form.Item>
        </FieldCell>
      </FieldGrid>
    </SettingForm>
  );
}

function SmsFields() {
  const { t } = useTranslation('settings');
  const provider = Form.useWatch<string | undefined>('provider');
  const http = provider === 'http';
  return (
    <FieldGrid>
      <FieldCell wide>
        <Form.Item name="provider" label={t('sms.provider')}>
          <Select
            options={SETTINGS['notifications.sms'].schema.properties.provider.anyOf.map((p) => ({ value: p.const, label: t(`sms.providers.${p.const}`) }))}
            data-testid="settings-sms-provider"
          />
        </Form.Item>
        {http ? null : <Alert type="info" showIcon title={t('sms.logHint')} style={{ marginBottom: 16 }} />}
      </FieldCell>
      <FieldCell wide hidden={!http}>
        <Form.Item name="endpoint" label={t('sms.endpoint')}>
          <Input maxLength={500} placeholder="https://" inputMode="url" autoCapitalize="none" />
        </Form.Item>
      </FieldCell>
      <FieldCell hidden={!http}>
        <Form.Item name="accessKeyId" label={t('sms.accessKeyId')}>
          <Input maxLength={200} autoComplete="off" autoCapitalize="none" />
        </Form.Item>
      </FieldCell>
      <FieldCell hidden={!http}>
        <SecretField name="accessKeySecret" label={t('sms.accessKeySecret')} />
      </FieldCell>
      <FieldCell hidden={!http}>
        <Form.Item name="signName" label={t('sms.signName')}>
          <Input maxLength={50} />
        </Form.Item>
      </FieldCell>
    </FieldGrid>
  );
}

/** `notifications.sms`: the demo `log` provider or an HTTP SMS API. */
export function SmsCard({ canEdit }: { canEdit: boolean }) {
  const { t } = useTranslation('settings');
  return (
    <SettingForm settingKey="notifications.sms" canEdit={canEdit} title={t('sms.title')} testId="settings-sms-form">
      <SmsFields />
    </SettingForm>
  );
}

function PushFields() {
  const { t } = useTranslation('settings');
  const http = Form.useWatch<string | undefined>('provider') === 'http';
  return (
    <FieldGrid>
      <FieldCell wide>
        <Form.Item name="provider" label={t('push.provider')}>
          <Select
            options={SETTINGS['notifications.push'].schema.properties.provider.anyOf.map((p) => ({ value: p.const, label: t(`push.providers.${p.const}`) }))}
            data-testid="settings-push-provider"
          />
        </Form.Item>
      </FieldCell>
      <FieldCell wide hidden={!http}>
        <Form.Item name="endpoint" label={t('push.endpoint')}>
          <Input maxLength={500} placeholder="https://" inputMode="url" autoCapitalize="none" />
        </Form.Item>
      </FieldCell>
      <FieldCell hidden={!http}>
        <Form.Item name="appId" label={t('push.appId')}>
          <Input maxLength={200} autoComplete="off" autoCapitalize="none" />
        </Form.Item>
      </FieldCell>
      <FieldCell hidden={!http}>
        <SecretField name="appSecret" label={t('push.appSecret')} />
      </FieldCell>
    </FieldGrid>
  );
}

/** `notifications.push`: off, or an HTTP push API (WeChat-style). */
export function PushCard({ canEdit }: { canEdit: boolean }) {
  const { t } = useTranslation('settings');
  return (
    <SettingForm settingKey="notifications.push" canEdit={canEdit} title={t('push.title')} testId="settings-push-form">
      <PushFields />
    </SettingForm>
  );
}

/** `notifications.limits`: messages per recipient per hour. */
export function LimitsCard({ canEdit }: { canEdit: boolean }) {
  const { t } = useTranslation('settings');
  const bounds = SETTINGS['notifications.limits'].schema.properties.perRecipientPerHour;
  return (
    <SettingForm settingKey="notifications.limits" canEdit={canEdit} title={t('limits.title')} hint={t('limits.hint')} testId="settings-limits-form">
      <FieldGrid>
        <FieldCell>
          <IntegerField name="perRecipientPerHour" label={t('limits.perRecipientPerHour')} unit={t('limits.unit')} min={bounds.minimum ?? 1} max={bounds.maximum ?? Number.MAX_SAFE_INTEGER} />
        </FieldCell>
      </FieldGrid>
    </SettingForm>
  );
}

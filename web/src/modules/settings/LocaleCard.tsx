import { useState } from 'react';
import { Form, Select, Typography } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { LOCALES, SETTINGS, type Locale } from '@courtyard/contracts';
import { useCommunities } from '../properties/api';
import { SettingForm } from './SettingForm';
import { FieldCell, FieldGrid } from './fields';

/** Common IANA zones offered in the picker (a stored zone outside the list is added to it). */
export const TIMEZONES = [
  'Asia/Shanghai',
  'Asia/Hong_Kong',
  'Asia/Macau',
  'Asia/Taipei',
  'Asia/Urumqi',
  'Asia/Singapore',
  'Asia/Kuala_Lumpur',
  'Asia/Bangkok',
  'Asia/Tokyo',
  'Asia/Seoul',
  'Asia/Dubai',
  'Australia/Sydney',
  'UTC',
  'Europe/London',
  'Europe/Paris',
  'Europe/Berlin',
  'America/New_York',
  'America/Chicago',
  'America/Los_Angeles',
] as const;

const DATE_FORMATS = SETTINGS['locale.defaults'].schema.properties.dateFormat.anyOf.map((f) => f.const);

/** `Asia/Shanghai (GMT+8)`: the zone with its current offset, as the browser knows it. */
function zoneLabel(zone: string): string {
  try {
    const offset = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'shortOffset' })
      .formatToParts(new Date())
      .find((p) => p.type === 'timeZoneName')?.value;
    return offset ? `${zone} (${offset})` : zone;
  } catch {
    return zone;
  }
}

const ORG = '__org__';

function LocaleFields() {
  const { t } = useTranslation(['settings', 'common']);
  const timezone = Form.useWatch<string | undefined>('timezone');
  const dateFormat = Form.useWatch<string | undefined>('dateFormat');
  const zones: string[] = [...TIMEZONES];
  if (timezone && !zones.includes(timezone)) zones.unshift(timezone);
  return (
    <FieldGrid>
      <FieldCell>
        <Form.Item name="language" label={t('locale.language')}>
          <Select<Locale> options={LOCALES.map((l) => ({ value: l, label: t(`common:language.${l}`) }))} data-testid="settings-locale-language" />
        </Form.Item>
      </FieldCell>
      <FieldCell>
        <Form.Item name="timezone" label={t('locale.timezone')}>
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            options={zones.map((z) => ({ value: z, label: zoneLabel(z) }))}
            data-testid="settings-locale-timezone"
          />
        </Form.Item>
      </FieldCell>
      <FieldCell>
        <Form.Item
          name="dateFormat"
          label={t('locale.dateFormat')}
          extra={dateFormat ? t('locale.example', { date: dayjs().format(dateFormat) }) : null}
        >
          <Select options={DATE_FORMATS.map((f) => ({ value: f, label: f }))} data-testid="settings-locale-dateFormat" />
        </Form.Item>
      </FieldCell>
    </FieldGrid>
  );
}

/**
 * `locale.defaults` for the organisation or, chosen in the scope picker, one community's override
 * (`settings.community.manage` in that community; the server checks the scope).
 */
export function LocaleCard({ canEditOrg, canEditCommunity, canPickCommunity }: { canEditOrg: boolean; canEditCommunity: boolean; canPickCommunity: boolean }) {
  const { t } = useTranslation('settings');
  const [scope, setScope] = useState<string>(ORG);
  const communities = useCommunities(canPickCommunity);
  const communityId = scope === ORG ? null : scope;
  const header = canPickCommunity ? (
    <div style={{ marginBottom: 16 }}>
      <Typography.Text strong style={{ display: 'block', marginBottom: 6 }}>
        {t('locale.scope')}
      </Typography.Text>
      <Select
        value={scope}
        onChange={setScope}
        loading={communities.isPending}
        style={{ width: 320, maxWidth: '100%' }}
        showSearch={{ optionFilterProp: 'search' }}
        options={[
          { value: ORG, label: t('locale.orgDefault'), search: t('locale.orgDefault') },
          ...(communities.data?.items ?? []).map((c) => ({ value: c.id, label: <span data-user-data>{c.name}</span>, search: c.name })),
        ]}
        data-testid="settings-locale-scope"
      />
      {communityId ? (
        <Typography.Text type="secondary" style={{ display: 'block', marginTop: 6 }}>
          {t('locale.communityHint')}
        </Typography.Text>
      ) : null}
    </div>
  ) : null;
  return (
    <SettingForm
      key={scope}
      settingKey="locale.defaults"
      communityId={communityId}
      canEdit={communityId ? canEditCommunity : canEditOrg}
      title={t('locale.title')}
      hint={t('locale.hint')}
      header={header}
      testId="settings-locale-form"
    >
      <LocaleFields />
    </SettingForm>
  );
}

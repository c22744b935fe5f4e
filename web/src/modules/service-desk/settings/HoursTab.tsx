import { useMemo } from 'react';
import { App, Button, Card, DatePicker, Empty, Flex, Form, Input, InputNumber, List, Popconfirm, Select, Space, Spin, Tag, TimePicker, Typography } from 'antd';
import { DeleteOutlined, MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { BusinessWindow, Holiday, PutServiceDeskSettingsBody, ServiceDeskSettings } from '@courtyard/contracts';
import { isApiError, problemFieldName } from '../../../ui/api';
import { useApiError } from '../../../ui/useApiError';
import { useIsMobile } from '../../../ui/useIsMobile';
import { settingsApi, useConfigMutation, useDeskSettings } from '../settingsApi';

/** Monday first on screen; the server's week is indexed 0 = Sunday … 6 = Saturday. */
const WEEK_ORDER = [1, 2, 3, 4, 5, 6, 0] as const;
const toTime = (minutes: number) => dayjs().startOf('day').add(minutes, 'minute');
const toMinutes = (d: Dayjs) => d.hour() * 60 + d.minute();
/** UTC−12:00 … UTC+14:00 in half hours. */
const OFFSETS = Array.from({ length: 53 }, (_, i) => -720 + i * 30);
const offsetLabel = (m: number) => `UTC${m < 0 ? '−' : '+'}${String(Math.floor(Math.abs(m) / 60)).padStart(2, '0')}:${String(Math.abs(m) % 60).padStart(2, '0')}`;

/** A business window as a time range ([start, end) minutes after local midnight). */
function WindowInput({ value, onChange, label }: { value?: BusinessWindow; onChange?: (v: BusinessWindow) => void; label: string }) {
  return (
    <TimePicker.RangePicker
      aria-label={label}
      format="HH:mm"
      minuteStep={5}
      needConfirm={false}
      allowClear={false}
      order={false}
      style={{ width: 200 }}
      value={value ? [toTime(value.start), toTime(value.end)] : null}
      onChange={(range) => {
        const [a, b] = range ?? [];
        // 24:00 cannot be picked: a window ending at midnight is typed as 23:59 and kept to the minute.
        if (a && b) onChange?.({ start: toMinutes(a), end: toMinutes(b) });
      }}
    />
  );
}

type HoursValues = Omit<PutServiceDeskSettingsBody, 'holidays'>;

/** 工作时间与节假日: business windows per weekday, time zone, auto-close, warning threshold; holidays and 调休 workdays. */
export function HoursTab({ communityId }: { communityId: string }) {
  const query = useDeskSettings(communityId);
  if (query.isPending) return <Spin />;
  if (!query.data) return null;
  return (
    <Flex vertical gap={12}>
      <HoursForm key={`${communityId}-${query.dataUpdatedAt}`} communityId={communityId} settings={query.data} />
      <Holidays communityId={communityId} settings={query.data} />
    </Flex>
  );
}

function HoursForm({ communityId, settings }: { communityId: string; settings: ServiceDeskSettings }) {
  const { t } = useTranslation(['serviceDesk', 'common']);
  const { message } = App.useApp();
  const showError = useApiError();
  const isMobile = useIsMobile();
  const [form] = Form.useForm<HoursValues>();
  const save = useConfigMutation((body: PutServiceDeskSettingsBody) => settingsApi.putSettings(communityId, body));
  const initial: HoursValues = { week: settings.week, utcOffsetMinutes: settings.utcOffsetMinutes, autoCloseHours: settings.autoCloseHours, warnAtPercent: settings.warnAtPercent };

  const submit = (v: HoursValues) =>
    save.mutate(
      // Holidays are kept as the server has them (they are added and removed on their own card).
      { ...v, week: v.week.map((d) => d ?? []), holidays: settings.holidays },
      { onSuccess: () => void message.success(t('serviceDesk:settings.saved')), onError: (e) => showError(e, form) },
    );

  return (
    <Card size="small" title={t('serviceDesk:settings.hours.title')}>
      <Form<HoursValues> form={form} initialValues={initial} onFinish={submit} layout="vertical" data-testid="hours-form">
        <Typography.Paragraph type="secondary">{t('serviceDesk:settings.hours.hint')}</Typography.Paragraph>
        {WEEK_ORDER.map((d) => (
          <Flex key={d} gap={8} align={isMobile ? 'flex-start' : 'center'} vertical={isMobile} style={{ marginBottom: 8 }}>
            <Typography.Text strong style={{ width: 56, flex: 'none' }}>
              {t(`serviceDesk:settings.weekday.${d}`)}
            </Typography.Text>
            <Form.List name={['week', d]}>
              {(fields, { add, remove }) => (
                <Flex gap={8} wrap align="center">
                  {fields.length === 0 ? <Tag>{t('serviceDesk:settings.hours.closed')}</Tag> : null}
                  {fields.map((f) => (
                    <Space.Compact key={f.key}>
                      <Form.Item name={f.name} noStyle={false} style={{ marginBottom: 0 }}>
                        <WindowInput label={t(`serviceDesk:settings.weekday.${d}`)} />
                      </Form.Item>
                      <Button icon={<MinusCircleOutlined />} aria-label={t('common:actions.delete')} onClick={() => remove(f.name)} />
                    </Space.Compact>
                  ))}
                  {fields.length < 4 ? (
                    <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ start: 510, end: 720 })} data-testid={`hours-add-${d}`}>
                      {t('serviceDesk:settings.hours.addWindow')}
                    </Button>
                  ) : null}
                </Flex>
              )}
            </Form.List>
          </Flex>
        ))}
        <Flex gap={16} wrap style={{ marginTop: 8 }}>
          <Form.Item name="utcOffsetMinutes" label={t('serviceDesk:settings.hours.utcOffset')} rules={[{ required: true }]}>
            <Select style={{ width: 160 }} showSearch options={OFFSETS.map((m) => ({ value: m, label: offsetLabel(m) }))} />
          </Form.Item>
          <Form.Item name="autoCloseHours" label={t('serviceDesk:settings.hours.autoClose')} extra={t('serviceDesk:settings.hours.autoCloseHint')} rules={[{ required: true }]} style={{ maxWidth: 260 }}>
            <InputNumber<number> min={1} max={1440} precision={0} suffix={t('serviceDesk:settings.sla.h')} style={{ width: 140 }} data-testid="hours-auto-close" />
          </Form.Item>
          <Form.Item name="warnAtPercent" label={t('serviceDesk:settings.hours.warnAt')} extra={t('serviceDesk:settings.hours.warnAtHint')} rules={[{ required: true }]} style={{ maxWidth: 260 }}>
            <InputNumber<number> min={1} max={99} precision={0} suffix="%" style={{ width: 140 }} data-testid="hours-warn-at" />
          </Form.Item>
        </Flex>
        <Button type="primary" htmlType="submit" loading={save.isPending} block={isMobile} data-testid="hours-save">
          {t('common:actions.save')}
        </Button>
      </Form>
    </Card>
  );
}

interface HolidayValues {
  on?: Dayjs;
  kind: Holiday['kind'];
  name?: string;
}

function Holidays({ communityId, settings }: { communityId: string; settings: ServiceDeskSettings }) {
  const { t } = useTranslation(['serviceDesk', 'common']);
  const { message } = App.useApp();
  const showError = useApiError();
  const isMobile = useIsMobile();
  const [form] = Form.useForm<HolidayValues>();
  const save = useConfigMutation((holidays: Holiday[]) =>
    settingsApi.putSettings(communityId, { week: settings.week, utcOffsetMinutes: settings.utcOffsetMinutes, autoCloseHours: settings.autoCloseHours, warnAtPercent: settings.warnAtPercent, holidays }),
  );
  const sorted = useMemo(() => [...settings.holidays].sort((a, b) => a.on.localeCompare(b.on)), [settings.holidays]);

  const add = (v: HolidayValues) => {
    if (!v.on) return;
    const on = v.on.format('YYYY-MM-DD');
    const holiday: Holiday = { on, kind: v.kind, name: v.name?.trim() ?? '' };
    // One entry per date: adding a date again replaces it (as the server keeps one).
    const next = [...settings.holidays.filter((h) => h.on !== on), holiday];
    save.mutate(next, {
      onSuccess: () => {
        void message.success(t('serviceDesk:settings.holidays.added', { on }));
        form.resetFields();
      },
      onError: (e) => {
        showError(e);
        // The problem names the list item (/body/holidays/3/name): show it on the add form's field.
        if (isApiError(e))
          form.setFields(
            e.fields.flatMap((f) => {
              const path = problemFieldName(f.field);
              const leaf = path[0] === 'holidays' ? path[2] : undefined;
              return leaf === 'on' || leaf === 'kind' || leaf === 'name' ? [{ name: leaf, errors: [f.message] }] : [];
            }),
          );
      },
    });
  };
  const remove = (on: string) => save.mutate(settings.holidays.filter((h) => h.on !== on), { onSuccess: () => void message.success(t('serviceDesk:settings.holidays.removed', { on })), onError: (e) => showError(e) });

  return (
    <Card size="small" title={t('serviceDesk:settings.holidays.title')}>
      <Typography.Paragraph type="secondary">{t('serviceDesk:settings.holidays.hint')}</Typography.Paragraph>
      <Form<HolidayValues> form={form} layout={isMobile ? 'vertical' : 'inline'} initialValues={{ kind: 'holiday' }} onFinish={add} data-testid="holiday-form" style={{ rowGap: 8 }}>
        <Form.Item name="on" label={t('serviceDesk:settings.holidays.on')} rules={[{ required: true }]}>
          <DatePicker style={{ width: isMobile ? '100%' : 150 }} data-testid="holiday-date" />
        </Form.Item>
        <Form.Item name="kind" label={t('serviceDesk:settings.holidays.kind')}>
          <Select
            style={{ width: isMobile ? '100%' : 140 }}
            data-testid="holiday-kind"
            options={(['holiday', 'workday'] as const).map((k) => ({ value: k, label: t(`serviceDesk:settings.holidays.${k}`) }))}
          />
        </Form.Item>
        <Form.Item name="name" label={t('serviceDesk:settings.holidays.name')}>
          <Input maxLength={50} style={{ width: isMobile ? '100%' : 180 }} data-testid="holiday-name" />
        </Form.Item>
        <Form.Item>
          <Button type="primary" htmlType="submit" icon={<PlusOutlined />} loading={save.isPending} block={isMobile} data-testid="holiday-add">
            {t('serviceDesk:settings.holidays.add')}
          </Button>
        </Form.Item>
      </Form>
      {sorted.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('serviceDesk:settings.holidays.empty')} />
      ) : (
        <List
          size="small"
          style={{ marginTop: 12 }}
          dataSource={sorted}
          data-testid="holiday-list"
          renderItem={(h) => (
            <List.Item
              data-testid={`holiday-${h.on}`}
              actions={[
                <Popconfirm key="del" title={t('serviceDesk:settings.holidays.removeConfirm', { on: h.on })} onConfirm={() => remove(h.on)} okText={t('common:actions.confirm')} cancelText={t('common:actions.cancel')}>
                  <Button type="text" danger icon={<DeleteOutlined />} aria-label={t('common:actions.delete')} data-testid={`holiday-remove-${h.on}`} />
                </Popconfirm>,
              ]}
            >
              <Flex gap={8} wrap align="center">
                <Typography.Text strong>{h.on}</Typography.Text>
                <Tag color={h.kind === 'holiday' ? 'red' : 'blue'}>{t(`serviceDesk:settings.holidays.${h.kind}`)}</Tag>
                {h.name ? <Typography.Text data-user-data>{h.name}</Typography.Text> : null}
              </Flex>
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}

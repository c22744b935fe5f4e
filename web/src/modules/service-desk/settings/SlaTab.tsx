import { useMemo, useState } from 'react';
import { App, Button, Collapse, Flex, Form, InputNumber, Select, Space, Spin, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { REQUEST_PRIORITIES, REQUEST_TYPES, type RequestPriority, type RequestType, type SlaPolicy } from '@courtyard/contracts';
import { isApiError, problemFieldName } from '../../../ui/api';
import { useErrorText } from '../../../ui/useApiError';
import { useIsMobile } from '../../../ui/useIsMobile';
import { PriorityTag } from '../labels';
import { settingsApi, useConfigMutation, useSla } from '../settingsApi';

type Unit = 'min' | 'h';
const STAGES = ['acceptMinutes', 'arriveMinutes', 'resolveMinutes'] as const;
type Stage = (typeof STAGES)[number];
interface Row {
  type: RequestType;
  priority: RequestPriority;
  acceptMinutes?: number | null;
  arriveMinutes?: number | null;
  resolveMinutes?: number | null;
}
const complete = (r: Row): r is Row & SlaPolicy => STAGES.every((s) => typeof r[s] === 'number' && (r[s] ?? 0) > 0);

/**
 * A limit in business minutes, typed in minutes or hours (whole hours show as hours: 240 → 4 h;
 * 1.5 h → 90 min). The value stays integer minutes, as the server stores it.
 */
export function DurationInput({ value, onChange, testId, label }: { value?: number | null; onChange?: (v: number | null) => void; testId?: string; label: string }) {
  const { t } = useTranslation('serviceDesk');
  const [unit, setUnit] = useState<Unit>(() => (value && value % 60 === 0 ? 'h' : 'min'));
  const shown = value === null || value === undefined ? null : unit === 'h' ? Math.round((value / 60) * 100) / 100 : value;
  return (
    <Space.Compact>
      <InputNumber<number>
        aria-label={label}
        value={shown}
        min={unit === 'h' ? 0.25 : 1}
        step={unit === 'h' ? 1 : 5}
        {...(unit === 'h' ? {} : { precision: 0 })}
        style={{ width: 84 }}
        onChange={(v) => onChange?.(v === null ? null : Math.round(unit === 'h' ? v * 60 : v))}
        data-testid={testId}
      />
      <Select<Unit>
        value={unit}
        onChange={setUnit}
        style={{ width: 76 }}
        aria-label={t('settings.sla.unit')}
        data-testid={testId ? `${testId}-unit` : undefined}
        options={[
          { value: 'min', label: t('settings.sla.min') },
          { value: 'h', label: t('settings.sla.h') },
        ]}
      />
    </Space.Compact>
  );
}

/** One type × priority: accept ≤ arrive ≤ resolve, each a duration. */
function SlaRowInput({ value, onChange, prefix }: { value?: Row; onChange?: (v: Row) => void; prefix: string }) {
  const { t } = useTranslation('serviceDesk');
  const isMobile = useIsMobile();
  if (!value) return null;
  return (
    <Flex gap={8} wrap>
      {STAGES.map((s: Stage) => (
        // On a phone the stage name sits left of its input: three lines per priority, not six.
        <Flex key={s} vertical={!isMobile} gap={isMobile ? 8 : 2} {...(isMobile ? { align: 'center' } : {})}>
          <Typography.Text type="secondary" style={isMobile ? { fontSize: 12, width: 52, flex: 'none' } : { fontSize: 12 }}>
            {t(`settings.sla.${s}`)}
          </Typography.Text>
          <DurationInput label={t(`settings.sla.${s}`)} value={value[s] ?? null} onChange={(v) => onChange?.({ ...value, [s]: v })} testId={`${prefix}-${s}`} />
        </Flex>
      ))}
    </Flex>
  );
}

/** 时限: the matrix type × priority → accept / arrive / resolve, in business time from submission. */
export function SlaTab({ communityId }: { communityId: string }) {
  const { t } = useTranslation(['serviceDesk', 'common']);
  const { message } = App.useApp();
  const errorText = useErrorText();
  const isMobile = useIsMobile();
  const query = useSla(communityId);
  const [form] = Form.useForm<{ items: Row[] }>();
  const save = useConfigMutation(settingsApi.putSla);

  const rows = useMemo<Row[]>(() => {
    const byKey = new Map((query.data?.items ?? []).map((p) => [`${p.type}/${p.priority}`, p]));
    return REQUEST_TYPES.flatMap((type) => REQUEST_PRIORITIES.map((priority) => byKey.get(`${type}/${priority}`) ?? { type, priority, acceptMinutes: null, arriveMinutes: null, resolveMinutes: null }));
  }, [query.data]);

  const submit = ({ items }: { items: Row[] }) => {
    // Rows left empty are "not limited" and not sent; `sent[k]` is the form row of body item k.
    const sent = items.map((r, i) => ({ r, i })).filter(({ r }) => complete(r));
    save.mutate(
      { communityId, items: sent.map(({ r }) => ({ type: r.type, priority: r.priority, acceptMinutes: r.acceptMinutes ?? 0, arriveMinutes: r.arriveMinutes ?? 0, resolveMinutes: r.resolveMinutes ?? 0 })) },
      {
        onSuccess: () => void message.success(t('serviceDesk:settings.saved')),
        onError: (e) => {
          void message.error(errorText(e));
          if (!isApiError(e)) return;
          form.setFields(
            e.fields.flatMap((f) => {
              const [root, k] = problemFieldName(f.field);
              const row = root === 'items' && typeof k === 'number' ? sent[k]?.i : undefined;
              return row === undefined ? [] : [{ name: ['items', row], errors: [f.message] }];
            }),
          );
        },
      },
    );
  };

  if (query.isPending) return <Spin />;
  return (
    // Remounted with what the server holds after every load (units are chosen from the values).
    <Form key={`${communityId}-${query.dataUpdatedAt}`} form={form} initialValues={{ items: rows }} onFinish={submit} layout="vertical" data-testid="sla-form">
      <Typography.Paragraph type="secondary">{t('serviceDesk:settings.sla.hint')}</Typography.Paragraph>
      <Collapse
        defaultActiveKey={['repair_room']}
        size="small"
        items={REQUEST_TYPES.map((type, ti) => ({
          key: type,
          label: t(`serviceDesk:type.${type}`),
          forceRender: true,
          children: (
            <Flex vertical gap={4}>
              {REQUEST_PRIORITIES.map((priority, pi) => {
                const index = ti * REQUEST_PRIORITIES.length + pi;
                return (
                  <Form.Item
                    key={priority}
                    name={['items', index]}
                    label={<PriorityTag priority={priority} />}
                    style={{ marginBottom: 8 }}
                    layout={isMobile ? 'vertical' : 'horizontal'}
                    labelCol={isMobile ? undefined : { flex: '64px' }}
                    rules={[
                      {
                        validator: (_, v: Row | undefined) => {
                          if (!v || STAGES.every((s) => v[s] === null || v[s] === undefined)) return Promise.resolve();
                          if (!complete(v)) return Promise.reject(new Error(t('serviceDesk:settings.sla.incomplete')));
                          return v.acceptMinutes <= v.arriveMinutes && v.arriveMinutes <= v.resolveMinutes ? Promise.resolve() : Promise.reject(new Error(t('serviceDesk:settings.sla.order')));
                        },
                      },
                    ]}
                  >
                    <SlaRowInput prefix={`sla-${type}-${priority}`} />
                  </Form.Item>
                );
              })}
            </Flex>
          ),
        }))}
      />
      <Button type="primary" htmlType="submit" loading={save.isPending} style={{ marginTop: 12 }} block={isMobile} data-testid="sla-save">
        {t('common:actions.save')}
      </Button>
    </Form>
  );
}

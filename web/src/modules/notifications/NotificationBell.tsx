import { useState } from 'react';
import { App, Badge, Button, Drawer, Empty, Flex, List, Segmented, Spin, Switch, Tag, Typography, theme } from 'antd';
import { BellOutlined, CheckOutlined } from '@ant-design/icons';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { InboxItem, NotificationPreferences } from '@courtyard/contracts';
import { useMe } from '../../app/session';
import { formatDateTimeShort } from '../../ui/format';
import { useApiError, useErrorText } from '../../ui/useApiError';
import { useIsMobile } from '../../ui/useIsMobile';
import { notificationKeys, notificationsApi } from './api';
import { useUnreadCount } from './useUnreadCount';

function NotificationList({ onCount }: { onCount: (count: number) => void }) {
  const { t } = useTranslation('notifications');
  const { token } = theme.useToken();
  const client = useQueryClient();
  const showError = useApiError();
  const errorText = useErrorText();
  const [unreadOnly, setUnreadOnly] = useState(false);
  const query = useInfiniteQuery({
    queryKey: notificationKeys.inbox(unreadOnly),
    queryFn: ({ pageParam, signal }) => notificationsApi.inbox(unreadOnly, pageParam, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const refresh = (count: number) => {
    onCount(count);
    void client.invalidateQueries({ queryKey: ['notifications', 'inbox'] });
  };
  const markRead = useMutation({ mutationFn: notificationsApi.markRead, onSuccess: (r) => refresh(r.count), onError: (e) => showError(e) });
  const markAll = useMutation({ mutationFn: notificationsApi.markAllRead, onSuccess: (r) => refresh(r.count), onError: (e) => showError(e) });
  const items = query.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <Flex vertical gap={12}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Flex align="center" gap={8}>
          <Switch size="small" checked={unreadOnly} onChange={setUnreadOnly} data-testid="notifications-unread-only" />
          <Typography.Text>{t('center.unreadOnly')}</Typography.Text>
        </Flex>
        <Button size="small" icon={<CheckOutlined />} loading={markAll.isPending} onClick={() => markAll.mutate()} data-testid="notifications-read-all">
          {t('center.markAllRead')}
        </Button>
      </Flex>
      {query.error ? <Typography.Text type="danger">{errorText(query.error)}</Typography.Text> : null}
      <Spin spinning={query.isPending}>
        {items.length === 0 && !query.isPending ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('center.empty')} />
        ) : (
          <List<InboxItem>
            dataSource={items}
            data-testid="notifications-list"
            renderItem={(item) => {
              const unread = item.readAt === null;
              return (
                <List.Item
                  key={item.id}
                  data-testid={`notification-${item.id}`}
                  data-unread={unread ? 'true' : 'false'}
                  style={{ paddingInline: 8, background: unread ? token.colorPrimaryBg : undefined, borderRadius: token.borderRadius, cursor: unread ? 'pointer' : undefined }}
                  onClick={unread ? () => markRead.mutate(item.id) : undefined}
                  actions={unread ? [<Badge key="dot" status="processing" />] : undefined}
                >
                  <List.Item.Meta
                    title={
                      <Flex gap={6} align="center" wrap>
                        {item.emergency ? <Tag color="red">{t('center.emergency')}</Tag> : null}
                        <Typography.Text strong={unread}>{item.subject ?? item.template}</Typography.Text>
                      </Flex>
                    }
                    description={
                      <>
                        <Typography.Paragraph style={{ whiteSpace: 'pre-line', marginBottom: 4 }} ellipsis={{ rows: 4, expandable: true, symbol: '…' }}>
                          {item.body}
                        </Typography.Paragraph>
                        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                          {formatDateTimeShort(item.createdAt)}
                        </Typography.Text>
                      </>
                    }
                  />
                </List.Item>
              );
            }}
          />
        )}
      </Spin>
      {query.hasNextPage ? (
        <Button block onClick={() => void query.fetchNextPage()} loading={query.isFetchingNextPage}>
          {t('center.loadMore')}
        </Button>
      ) : null}
    </Flex>
  );
}

/** The channels the user accepts (emergencies ignore it). */
export function PreferencesPanel() {
  const { t } = useTranslation('notifications');
  const { message } = App.useApp();
  const client = useQueryClient();
  const showError = useApiError();
  const query = useQuery({ queryKey: notificationKeys.preferences, queryFn: notificationsApi.preferences });
  const save = useMutation({
    mutationFn: notificationsApi.updatePreferences,
    onSuccess: (data: NotificationPreferences) => {
      client.setQueryData(notificationKeys.preferences, data);
      void message.success(t('preferences.saved'));
    },
    onError: (e) => showError(e),
  });
  return (
    <Flex vertical gap={12} data-testid="notification-preferences">
      <Typography.Text type="secondary">{t('preferences.hint')}</Typography.Text>
      <Spin spinning={query.isPending}>
        <List
          dataSource={query.data?.items ?? []}
          renderItem={(p) => (
            <List.Item
              key={p.channel}
              extra={
                <Switch
                  checked={p.enabled}
                  loading={save.isPending && save.variables?.[0]?.channel === p.channel}
                  onChange={(enabled) => save.mutate([{ channel: p.channel, enabled }])}
                  data-testid={`preference-${p.channel}`}
                />
              }
            >
              {t(`channels.${p.channel}`)}
            </List.Item>
          )}
        />
      </Spin>
    </Flex>
  );
}

/**
 * The header bell: the live unread count as a badge, and the notification centre in a drawer
 * (list, mark read, mark all read, channel choices). Used by the console and the portal.
 */
export function NotificationBell() {
  const { t } = useTranslation('notifications');
  const { me } = useMe();
  const isMobile = useIsMobile();
  const client = useQueryClient();
  const [open, setOpen] = useState(false);
  const [view, setView] = useState<'list' | 'preferences'>('list');
  const signedIn = !!me && !me.passwordChangeRequired && !me.mfaEnrollmentRequired;
  const count = useUnreadCount(signedIn);
  if (!signedIn) return null;
  return (
    <>
      <Badge count={count} size="small" overflowCount={99} offset={[-4, 4]} data-testid="notification-badge" data-count={count}>
        <Button
          type="text"
          icon={<BellOutlined style={{ fontSize: 18 }} />}
          onClick={() => setOpen(true)}
          aria-label={count ? t('bell.unread', { count }) : t('bell.label')}
          data-testid="notification-bell"
        />
      </Badge>
      <Drawer
        title={t('center.title')}
        open={open}
        onClose={() => setOpen(false)}
        size={isMobile ? '100%' : 420}
        destroyOnHidden
        data-testid="notification-drawer"
      >
        <Flex vertical gap={12}>
          <Segmented<'list' | 'preferences'>
            block
            value={view}
            onChange={setView}
            options={[
              { value: 'list', label: t('center.title') },
              { value: 'preferences', label: <span data-testid="notification-preferences-tab">{t('center.preferences')}</span> },
            ]}
          />
          {view === 'list' ? <NotificationList onCount={(n) => client.setQueryData(notificationKeys.unread, n)} /> : <PreferencesPanel />}
        </Flex>
      </Drawer>
    </>
  );
}

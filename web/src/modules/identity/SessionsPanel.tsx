import { App, Button, Card, Flex, Popconfirm, Table, Tag, Typography } from 'antd';
import type { TableProps } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { SessionInfo } from '@courtyard/contracts';
import { useSignOut } from '../../app/useSignOut';
import { formatDateTimeShort } from '../../ui/format';
import { useApiError, useErrorText } from '../../ui/useApiError';
import { useIsMobile } from '../../ui/useIsMobile';
import { authApi, identityKeys } from './api';

/** The user's own sessions: sign out one, or everywhere. */
export function SessionsPanel() {
  const { t } = useTranslation('identity');
  const { t: tc } = useTranslation();
  const { message } = App.useApp();
  const isMobile = useIsMobile();
  const client = useQueryClient();
  const showError = useApiError();
  const errorText = useErrorText();
  const signOut = useSignOut();
  const sessions = useQuery({ queryKey: identityKeys.sessions, queryFn: authApi.sessions });
  const end = useMutation({
    mutationFn: (session: SessionInfo) => authApi.endSession(session.id),
    onSuccess: async (_, session) => {
      if (session.current) {
        await signOut('/sign-in');
        return;
      }
      void message.success(t('sessions.signedOut'));
      await client.invalidateQueries({ queryKey: identityKeys.sessions });
    },
    onError: (error) => showError(error),
  });

  const columns: TableProps<SessionInfo>['columns'] = [
    {
      title: t('sessions.device'),
      dataIndex: 'userAgent',
      render: (ua: string | null, row) => (
        <Flex vertical gap={2} style={{ maxWidth: 320 }}>
          <Typography.Text ellipsis={{ tooltip: ua }}>{ua ?? tc('common.unknown')}</Typography.Text>
          {row.current ? (
            <span>
              <Tag color="green">{t('sessions.current')}</Tag>
            </span>
          ) : null}
        </Flex>
      ),
    },
    { title: t('sessions.ip'), dataIndex: 'ip', render: (ip: string | null) => ip ?? '—' },
    { title: t('sessions.createdAt'), dataIndex: 'createdAt', render: (v: string) => formatDateTimeShort(v) },
    { title: t('sessions.lastSeenAt'), dataIndex: 'lastSeenAt', render: (v: string) => formatDateTimeShort(v) },
    { title: t('sessions.expiresAt'), dataIndex: 'expiresAt', render: (v: string) => formatDateTimeShort(v) },
    {
      title: '',
      key: 'actions',
      render: (_, row) => (
        <Popconfirm title={t('sessions.signOutConfirm')} onConfirm={() => end.mutate(row)} okText={tc('actions.confirm')} cancelText={tc('actions.cancel')}>
          <Button size="small" danger data-testid={`session-signout-${row.id}`}>
            {t('sessions.signOut')}
          </Button>
        </Popconfirm>
      ),
    },
  ];

  return (
    <Flex vertical gap={12}>
      <Flex justify="flex-end">
        <Popconfirm
          title={t('sessions.signOutEverywhereConfirm')}
          onConfirm={() => void signOut('/sign-in', true)}
          okText={tc('actions.confirm')}
          cancelText={tc('actions.cancel')}
        >
          <Button danger data-testid="signout-everywhere">
            {t('sessions.signOutEverywhere')}
          </Button>
        </Popconfirm>
      </Flex>
      {sessions.error ? <Typography.Text type="danger">{errorText(sessions.error)}</Typography.Text> : null}
      {isMobile ? (
        <Flex vertical gap={8}>
          {(sessions.data?.items ?? []).map((row) => (
            <Card key={row.id} size="small" loading={false}>
              <Flex vertical gap={4}>
                <Typography.Paragraph ellipsis={{ rows: 2 }} style={{ margin: 0 }}>
                  {row.userAgent ?? tc('common.unknown')}
                </Typography.Paragraph>
                {row.current ? (
                  <span>
                    <Tag color="green">{t('sessions.current')}</Tag>
                  </span>
                ) : null}
                <Typography.Text type="secondary">
                  {t('sessions.ip')}: {row.ip ?? '—'}
                </Typography.Text>
                <Typography.Text type="secondary">
                  {t('sessions.createdAt')}: {formatDateTimeShort(row.createdAt)}
                </Typography.Text>
                <Typography.Text type="secondary">
                  {t('sessions.lastSeenAt')}: {formatDateTimeShort(row.lastSeenAt)}
                </Typography.Text>
                <Flex justify="flex-end">
                  <Popconfirm
                    title={t('sessions.signOutConfirm')}
                    onConfirm={() => end.mutate(row)}
                    okText={tc('actions.confirm')}
                    cancelText={tc('actions.cancel')}
                  >
                    <Button size="small" danger data-testid={`session-signout-${row.id}`}>
                      {t('sessions.signOut')}
                    </Button>
                  </Popconfirm>
                </Flex>
              </Flex>
            </Card>
          ))}
        </Flex>
      ) : (
        <Table<SessionInfo>
          rowKey="id"
          columns={columns}
          dataSource={sessions.data?.items ?? []}
          loading={sessions.isPending}
          pagination={false}
          size={isMobile ? 'small' : 'middle'}
          scroll={{ x: 'max-content' }}
        />
      )}
    </Flex>
  );
}

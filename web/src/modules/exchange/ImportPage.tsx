import { useEffect, useState, type HTMLAttributes } from 'react';
import { Alert, App, Button, Card, Col, Flex, Progress, Radio, Result, Row, Space, Steps, Table, Tag, Typography, Upload } from 'antd';
import type { TableProps } from 'antd';
import { CheckCircleOutlined, CloudUploadOutlined, DownloadOutlined, FileExcelOutlined, InboxOutlined, ReloadOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import type { ImportBatch, ImportError, ImportKind, ImportState } from '@courtyard/contracts';
import { PageHeader } from '../../ui/PageHeader';
import { formatDateTimeShort } from '../../ui/format';
import { useApiError, useErrorText } from '../../ui/useApiError';
import { useIsMobile } from '../../ui/useIsMobile';
import { useCommunities } from '../properties/api';
import { CommunityPicker } from '../people/parts';
import { importsApi, isBusy, useCommitImport, useImportBatch, useImports, useUploadImport } from './api';

const KINDS: ImportKind[] = ['people', 'rooms', 'parking'];
const STATE_COLORS: Record<ImportState, string> = {
  validating: 'processing',
  invalid: 'error',
  valid: 'blue',
  committing: 'processing',
  committed: 'success',
  failed: 'error',
};

function stepOf(batch: ImportBatch | undefined, hasChoice: boolean): number {
  if (!batch) return hasChoice ? 1 : 0;
  if (batch.state === 'validating' || batch.state === 'invalid' || batch.state === 'failed') return 2;
  return 3;
}

function JobProgress({ batch }: { batch: ImportBatch }) {
  const { t } = useTranslation('exchange');
  const total = batch.progress.total ?? batch.totalRows;
  const percent = total ? Math.min(100, Math.round((batch.progress.done / total) * 100)) : 0;
  return (
    <Flex vertical gap={8} data-testid="import-progress">
      <Typography.Text>{t(batch.state === 'committing' ? 'progress.committing' : 'progress.validating')}</Typography.Text>
      <Progress percent={percent} status="active" />
      <Typography.Text type="secondary">
        {total ? t('progress.rows', { done: batch.progress.done, total }) : t('progress.starting')}
      </Typography.Text>
    </Flex>
  );
}

function ErrorReport({ batch, onRetry }: { batch: ImportBatch; onRetry: () => void }) {
  const { t } = useTranslation('exchange');
  const isMobile = useIsMobile();
  const columns: TableProps<ImportError>['columns'] = [
    { title: t('report.row'), dataIndex: 'row', width: 72 },
    { title: t('report.column'), dataIndex: 'column', width: isMobile ? 96 : 160, render: (v: string) => <span data-user-data>{v}</span> },
    { title: t('report.reason'), dataIndex: 'message' },
  ];
  return (
    <Flex vertical gap={12} data-testid="import-errors">
      <Alert
        type="error"
        showIcon
        title={t('report.title', { count: batch.errorCount })}
        description={batch.errorCount > batch.errors.length ? t('report.firstOnly', { count: batch.errors.length }) : t('report.hint')}
      />
      <Flex wrap gap={8}>
        <a href={importsApi.reportUrl(batch.id)} download data-testid="import-report">
          <Button icon={<DownloadOutlined />}>{t('report.download')}</Button>
        </a>
        <Button icon={<ReloadOutlined />} onClick={onRetry} data-testid="import-retry">
          {t('report.uploadAgain')}
        </Button>
      </Flex>
      <Table<ImportError>
        size="small"
        rowKey={(e) => `${e.row}-${e.column}-${e.code}`}
        columns={columns}
        dataSource={batch.errors}
        pagination={batch.errors.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
        scroll={{ x: 'max-content' }}
        onRow={(e) => ({ 'data-testid': `import-error-${e.row}` }) as HTMLAttributes<HTMLElement>}
      />
    </Flex>
  );
}

/** Step 3 and 4 of one batch: validation, errors or "N rows valid" + commit, then the outcome. */
function BatchView({ id, onRestart }: { id: string; onRestart: () => void }) {
  const { t } = useTranslation(['exchange', 'common']);
  const showError = useApiError();
  const errorText = useErrorText();
  const client = useQueryClient();
  const query = useImportBatch(id);
  const commit = useCommitImport();
  const batch = query.data;
  const state = batch?.state;
  useEffect(() => {
    // The recent-imports list shows the state too.
    if (state) void client.invalidateQueries({ queryKey: ['imports', 'list'] });
    // The registry lists changed: refresh whatever is cached of them.
    if (state === 'committed') void client.invalidateQueries({ predicate: (q) => ['persons', 'rooms', 'registry', 'vehicles', 'occupancies'].includes(String(q.queryKey[0])) });
  }, [state, client]);
  if (query.error) return <Alert type="error" showIcon title={t('common:errors.loadFailed')} description={errorText(query.error)} />;
  if (!batch) return <Progress percent={0} status="active" />;
  return (
    <Card size="small" title={<Space wrap><FileExcelOutlined /><span data-user-data>{batch.fileName}</span><Tag>{t(`kind.${batch.kind}`)}</Tag></Space>} data-testid={`import-batch-${batch.state}`}>
      {isBusy(batch) ? (
        <JobProgress batch={batch} />
      ) : batch.state === 'invalid' ? (
        <ErrorReport batch={batch} onRetry={onRestart} />
      ) : batch.state === 'failed' ? (
        <Result status="error" title={t('state.failed')} subTitle={batch.failure ?? undefined} extra={<Button onClick={onRestart}>{t('report.uploadAgain')}</Button>} />
      ) : batch.state === 'valid' ? (
        <Result
          status="info"
          icon={<CheckCircleOutlined style={{ color: '#52c41a' }} />}
          title={t('valid.title', { count: batch.totalRows })}
          subTitle={t('valid.hint')}
          extra={
            <Space wrap>
              <Button onClick={onRestart}>{t('common:actions.cancel')}</Button>
              <Button type="primary" icon={<CloudUploadOutlined />} loading={commit.isPending} onClick={() => commit.mutate(batch.id, { onError: (e) => showError(e) })} data-testid="import-commit">
                {t('valid.commit', { count: batch.totalRows })}
              </Button>
            </Space>
          }
          data-testid="import-valid"
        />
      ) : (
        <Result
          status="success"
          title={t('done.title')}
          subTitle={t('done.counts', { created: batch.counts.created, unchanged: batch.counts.unchanged })}
          extra={<Button type="primary" onClick={onRestart}>{t('done.again')}</Button>}
          data-testid="import-done"
        />
      )}
    </Card>
  );
}

function RecentImports({ communityId, onOpen }: { communityId: string | undefined; onOpen: (id: string) => void }) {
  const { t } = useTranslation('exchange');
  const list = useImports(communityId);
  const columns: TableProps<ImportBatch>['columns'] = [
    { title: t('recent.at'), dataIndex: 'createdAt', render: (v: string) => formatDateTimeShort(v) },
    { title: t('recent.kind'), dataIndex: 'kind', render: (k: ImportKind) => t(`kind.${k}`) },
    {
      title: t('recent.file'),
      dataIndex: 'fileName',
      render: (name: string, b) => (
        <Typography.Link onClick={() => onOpen(b.id)} data-user-data>
          {name}
        </Typography.Link>
      ),
    },
    { title: t('recent.state'), dataIndex: 'state', render: (s: ImportState) => <Tag color={STATE_COLORS[s]}>{t(`state.${s}`)}</Tag> },
    { title: t('recent.rows'), dataIndex: 'totalRows' },
    { title: t('recent.errors'), dataIndex: 'errorCount' },
    { title: t('recent.created'), key: 'created', render: (_, b) => b.counts.created },
  ];
  return (
    <Card title={t('recent.title')} size="small">
      <Table<ImportBatch>
        size="small"
        rowKey={(b) => b.id}
        loading={list.isPending}
        columns={columns}
        dataSource={list.data?.items ?? []}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('recent.none') }}
      />
    </Card>
  );
}

/** `/registry/import` (数据导入): kind + community + template → upload → validation → commit. */
export default function ImportPage() {
  const { t } = useTranslation(['exchange', 'common']);
  const { message } = App.useApp();
  const showError = useApiError();
  const communities = useCommunities();
  const [params, setParams] = useSearchParams();
  const batchId = params.get('batch') ?? undefined;
  const [kind, setKind] = useState<ImportKind>('people');
  const [communityId, setCommunityId] = useState<string | undefined>();
  const [chosen, setChosen] = useState(false);
  const upload = useUploadImport();
  const batch = useImportBatch(batchId).data;
  const community = communityId ?? communities.data?.items[0]?.id;

  const openBatch = (id: string | undefined) => {
    const next = new URLSearchParams(params);
    if (id) next.set('batch', id);
    else next.delete('batch');
    setParams(next);
  };
  const restart = () => {
    openBatch(undefined);
    setChosen(true);
  };

  const step = stepOf(batchId ? batch : undefined, chosen);
  const stepItems = [
    { title: t('steps.choose') },
    { title: t('steps.upload') },
    { title: t('steps.validate') },
    { title: t('steps.commit') },
  ];

  return (
    <>
      <PageHeader title={t('title')} subtitle={t('subtitle')} />
      <Flex vertical gap={16}>
        <Card size="small">
          <Steps
            current={step}
            status={batchId && (batch?.state === 'invalid' || batch?.state === 'failed') ? 'error' : batch?.state === 'committed' ? 'finish' : 'process'}
            items={stepItems}
            size="small"
            responsive={false}
            style={{ overflowX: 'auto' }}
          />
        </Card>
        {batchId ? (
          <BatchView id={batchId} onRestart={restart} />
        ) : !chosen ? (
          <Card size="small" title={t('steps.choose')} data-testid="import-step-choose">
            <Flex vertical gap={16}>
              <div>
                <Typography.Text strong>{t('choose.kind')}</Typography.Text>
                <Radio.Group value={kind} onChange={(e) => setKind(e.target.value as ImportKind)} style={{ display: 'flex', flexDirection: 'column', gap: 8, marginTop: 8 }}>
                  {KINDS.map((k) => (
                    <Radio key={k} value={k} data-testid={`import-kind-${k}`}>
                      <Typography.Text strong>{t(`kind.${k}`)}</Typography.Text>
                      <Typography.Text type="secondary" style={{ display: 'block', fontSize: 13 }}>
                        {t(`kindHint.${k}`)}
                      </Typography.Text>
                    </Radio>
                  ))}
                </Radio.Group>
              </div>
              <Row gutter={[12, 12]}>
                <Col xs={24} md={12}>
                  <Typography.Text strong>{t('choose.community')}</Typography.Text>
                  <div style={{ marginTop: 8 }}>
                    <CommunityPicker value={community} onChange={setCommunityId} />
                  </div>
                </Col>
              </Row>
              <div>
                <Typography.Text strong>{t('choose.template')}</Typography.Text>
                <Typography.Paragraph type="secondary" style={{ margin: '4px 0 8px' }}>
                  {t('choose.templateHint')}
                </Typography.Paragraph>
                <Space wrap>
                  <a href={importsApi.templateUrl(kind, 'zh-CN')} download data-testid="template-zh">
                    <Button icon={<DownloadOutlined />}>{t('choose.templateZh')}</Button>
                  </a>
                  <a href={importsApi.templateUrl(kind, 'en-US')} download data-testid="template-en">
                    <Button icon={<DownloadOutlined />}>{t('choose.templateEn')}</Button>
                  </a>
                </Space>
              </div>
              <Button type="primary" disabled={!community} onClick={() => setChosen(true)} style={{ alignSelf: 'flex-start' }} data-testid="import-next">
                {t('choose.next')}
              </Button>
            </Flex>
          </Card>
        ) : (
          <Card
            size="small"
            title={t('steps.upload')}
            extra={
              <Button type="link" size="small" onClick={() => setChosen(false)}>
                {t('common:actions.back')}
              </Button>
            }
            data-testid="import-step-upload"
          >
            <Flex vertical gap={12}>
              <Typography.Text type="secondary">
                {t('upload.target', { kind: t(`kind.${kind}`), community: communities.data?.items.find((c) => c.id === community)?.name ?? '' })}
              </Typography.Text>
              <Upload.Dragger
                accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                multiple={false}
                showUploadList={false}
                disabled={upload.isPending || !community}
                beforeUpload={(file) => {
                  if (!community) return false;
                  upload.mutate(
                    { kind, communityId: community, file },
                    {
                      onSuccess: (b) => {
                        void message.success(t('upload.uploaded'));
                        openBatch(b.id);
                      },
                      onError: (error) => showError(error),
                    },
                  );
                  return false;
                }}
                data-testid="import-upload"
              >
                <p className="ant-upload-drag-icon">
                  <InboxOutlined />
                </p>
                <p className="ant-upload-text">{upload.isPending ? t('upload.uploading') : t('upload.drop')}</p>
                <p className="ant-upload-hint">{t('upload.hint')}</p>
              </Upload.Dragger>
            </Flex>
          </Card>
        )}
        <RecentImports communityId={community} onOpen={(id) => openBatch(id)} />
      </Flex>
    </>
  );
}


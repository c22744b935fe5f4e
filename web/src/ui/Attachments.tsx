import { useState, type ReactNode } from 'react';
import { Alert, App, Button, Empty, Flex, Image, Popconfirm, Select, Spin, Tag, Tooltip, Typography, Upload, type UploadProps } from 'antd';
import {
  DeleteOutlined,
  DownloadOutlined,
  FileExcelOutlined,
  FileImageOutlined,
  FileOutlined,
  FilePdfOutlined,
  FileTextOutlined,
  FileWordOutlined,
  LockOutlined,
  UploadOutlined,
} from '@ant-design/icons';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { FileInfo, FileList, Ok } from '@courtyard/contracts';
import { api } from './api';
import { formatDateTimeShort } from './format';
import { useApiError } from './useApiError';

/** Labels of the categories the UI knows; any other category is shown as it is stored. */
const CATEGORY_LABELS = {
  general: 'categories.general',
  photo: 'categories.photo',
  id_card: 'categories.id_card',
  passport: 'categories.passport',
  contract: 'categories.contract',
} as const;
type KnownCategory = keyof typeof CATEGORY_LABELS;
const isKnown = (c: string): c is KnownCategory => Object.prototype.hasOwnProperty.call(CATEGORY_LABELS, c);

export const filesKeys = {
  owner: (ownerType: string, ownerId: string) => ['files', ownerType, ownerId] as const,
};

const PAGE = 50;

export const filesApi = {
  list: (ownerType: string, ownerId: string, cursor?: string) => api.get<FileList>('/api/files', { ownerType, ownerId, limit: PAGE, cursor }),
  upload: (ownerType: string, ownerId: string, category: string, file: Blob, name: string) => {
    // The owner fields go first: the server checks the permission before it reads the file.
    const form = new FormData();
    form.append('ownerType', ownerType);
    form.append('ownerId', ownerId);
    form.append('category', category);
    form.append('file', file, name);
    return api.post<FileInfo>('/api/files', form);
  },
  remove: (id: string) => api.delete<Ok>(`/api/files/${encodeURIComponent(id)}`),
  contentUrl: (id: string) => `/api/files/${encodeURIComponent(id)}/content`,
  thumbnailUrl: (id: string) => `/api/files/${encodeURIComponent(id)}/thumbnail`,
};

/** 1 536 → "1.5 KB" (binary multiples, as file managers show them). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

function FileIcon({ file }: { file: FileInfo }) {
  const style = { fontSize: 28, color: 'var(--ant-color-text-tertiary)' };
  if (file.sensitive) return <LockOutlined style={style} />;
  if (file.contentType.startsWith('image/')) return <FileImageOutlined style={style} />;
  if (file.contentType === 'application/pdf') return <FilePdfOutlined style={style} />;
  if (file.contentType.includes('spreadsheet') || file.contentType === 'text/csv') return <FileExcelOutlined style={style} />;
  if (file.contentType.includes('wordprocessing')) return <FileWordOutlined style={style} />;
  if (file.contentType.startsWith('text/')) return <FileTextOutlined style={style} />;
  return <FileOutlined style={style} />;
}

export interface AttachmentsProps {
  /** Registered owner type on the server (`community`, `user`, …). */
  ownerType: string;
  ownerId: string;
  /** Shows upload and delete (the server checks the permission anyway). */
  canWrite: boolean;
  /** Narrows delete per file (e.g. only one's own uploads); default: whenever `canWrite`. */
  canDelete?: (file: FileInfo) => boolean;
  /** Categories offered at upload; the first is the default. A single category shows no picker. */
  categories?: readonly string[];
  /** Rendered above the list, next to the upload button. */
  title?: ReactNode;
}

/**
 * The files attached to one record: thumbnails of images, download links, upload (antd Upload,
 * one file at a time) and delete. Sensitive files (ID cards …) show no preview: every view of
 * one is audited, so it is fetched only when somebody asks for it.
 */
export function Attachments({ ownerType, ownerId, canWrite, canDelete, categories = ['general'], title }: AttachmentsProps) {
  const { t } = useTranslation(['files', 'common']);
  const { message } = App.useApp();
  const showError = useApiError();
  const client = useQueryClient();
  const [category, setCategory] = useState<string>(categories[0] ?? 'general');
  const key = filesKeys.owner(ownerType, ownerId);
  const query = useInfiniteQuery({
    queryKey: key,
    queryFn: ({ pageParam }) => filesApi.list(ownerType, ownerId, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const files = query.data?.pages.flatMap((p) => p.items) ?? [];
  const label = (c: string) => (isKnown(c) ? t(CATEGORY_LABELS[c]) : c);

  const upload = useMutation({
    mutationFn: ({ file, name }: { file: Blob; name: string }) => filesApi.upload(ownerType, ownerId, category, file, name),
    onSuccess: async (info) => {
      void message.success(t('uploaded', { name: info.name }));
      await client.invalidateQueries({ queryKey: key });
    },
    onError: (error) => showError(error),
  });
  const remove = useMutation({
    mutationFn: (id: string) => filesApi.remove(id),
    onSuccess: async () => {
      void message.success(t('deleted'));
      await client.invalidateQueries({ queryKey: key });
    },
    onError: (error) => showError(error),
  });

  const customRequest: UploadProps['customRequest'] = ({ file, onSuccess, onError }) => {
    const blob = file as Blob;
    const name = file instanceof File ? file.name : 'file';
    upload.mutate(
      { file: blob, name },
      { onSuccess: (info) => onSuccess?.(info), onError: (error) => onError?.(error instanceof Error ? error : new Error(String(error))) },
    );
  };

  return (
    <Flex vertical gap={12} data-testid="attachments">
      {title || canWrite ? (
        <Flex justify="space-between" align="center" wrap gap={8}>
          {title ? <Typography.Text strong>{title}</Typography.Text> : <span />}
          {canWrite ? (
            <Flex gap={8} wrap align="center">
              {categories.length > 1 ? (
                <Select<string>
                  aria-label={t('category')}
                  value={category}
                  onChange={setCategory}
                  style={{ minWidth: 120 }}
                  options={categories.map((c) => ({ value: c, label: label(c) }))}
                />
              ) : null}
              <Upload customRequest={customRequest} showUploadList={false} multiple={false} disabled={upload.isPending}>
                <Button icon={<UploadOutlined />} loading={upload.isPending}>
                  {t('upload')}
                </Button>
              </Upload>
            </Flex>
          ) : null}
        </Flex>
      ) : null}
      {canWrite ? (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('hint')}
        </Typography.Text>
      ) : null}

      {query.isError ? <Alert type="warning" showIcon title={t('loadFailed')} /> : null}
      {query.isPending ? <Spin /> : null}
      {query.isSuccess && files.length === 0 ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('empty')} /> : null}

      {files.map((file) => (
        <Flex key={file.id} gap={12} align="center" data-testid="attachment" style={{ minWidth: 0 }}>
          <div style={{ width: 56, height: 56, flex: 'none', display: 'flex', alignItems: 'center', justifyContent: 'center', borderRadius: 6, overflow: 'hidden', background: 'var(--ant-color-fill-quaternary)' }}>
            {file.hasThumbnail && !file.sensitive ? (
              <Image src={filesApi.thumbnailUrl(file.id)} alt={file.name} width={56} height={56} style={{ objectFit: 'cover' }} preview={{ src: filesApi.contentUrl(file.id) }} />
            ) : (
              <FileIcon file={file} />
            )}
          </div>
          <Flex vertical style={{ minWidth: 0, flex: 1 }}>
            <Typography.Link href={filesApi.contentUrl(file.id)} download={file.name} ellipsis title={file.name} data-user-data>
              {file.name}
            </Typography.Link>
            <Flex gap={6} wrap align="center">
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {formatBytes(file.sizeBytes)} · {formatDateTimeShort(file.createdAt)}
              </Typography.Text>
              <Tag style={{ marginInlineEnd: 0 }}>{label(file.category)}</Tag>
              {file.sensitive ? (
                <Tooltip title={t('sensitiveHint')}>
                  <Tag color="orange" style={{ marginInlineEnd: 0 }}>
                    {t('sensitive')}
                  </Tag>
                </Tooltip>
              ) : null}
            </Flex>
          </Flex>
          <Flex gap={4} style={{ flex: 'none' }}>
            <Tooltip title={t('download')}>
              <Button type="text" icon={<DownloadOutlined />} href={filesApi.contentUrl(file.id)} download={file.name} aria-label={t('download')} />
            </Tooltip>
            {canWrite && (canDelete ? canDelete(file) : true) ? (
              <Popconfirm title={t('deleteConfirm', { name: file.name })} onConfirm={() => remove.mutate(file.id)} okText={t('common:actions.confirm')} cancelText={t('common:actions.cancel')}>
                <Button type="text" danger icon={<DeleteOutlined />} aria-label={t('delete')} loading={remove.isPending && remove.variables === file.id} />
              </Popconfirm>
            ) : null}
          </Flex>
        </Flex>
      ))}
      {query.hasNextPage ? (
        <Button onClick={() => void query.fetchNextPage()} loading={query.isFetchingNextPage}>
          {t('more')}
        </Button>
      ) : null}
    </Flex>
  );
}

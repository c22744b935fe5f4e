import { useEffect, useRef, useState, type HTMLAttributes, type Key, type ReactNode } from 'react';
import { Alert, Button, Card, Empty, Flex, Spin, Table, Typography } from 'antd';
import type { TableProps } from 'antd';
import { useInfiniteQuery, type QueryKey } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useErrorText } from './useApiError';
import { useIsMobile } from './useIsMobile';

export interface KeysetPage<T> {
  items: T[];
  nextCursor: string | null;
}

export interface DataTableProps<T extends object> {
  /** Cache key of the list; include the filters so that changing them starts from the first page. */
  queryKey: QueryKey;
  fetchPage: (cursor: string | undefined, signal: AbortSignal) => Promise<KeysetPage<T>>;
  columns: NonNullable<TableProps<T>['columns']>;
  rowKey: (row: T) => Key;
  /** `data-testid` of each row. */
  rowTestId?: (row: T) => string;
  expandable?: TableProps<T>['expandable'];
  /** On phones, render each row as a card instead of a horizontally scrolling table. */
  renderCard?: (row: T) => ReactNode;
  enabled?: boolean;
  size?: TableProps<T>['size'];
}

/**
 * A list over a keyset-paginated endpoint (`{ items, nextCursor }`): shows the first page and a
 * "load more" button while the server reports a next cursor.
 */
export function DataTable<T extends object>({
  queryKey,
  fetchPage,
  columns,
  rowKey,
  rowTestId,
  expandable,
  renderCard,
  enabled = true,
  size,
}: DataTableProps<T>) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const isMobile = useIsMobile();
  const query = useInfiniteQuery({
    queryKey,
    queryFn: ({ pageParam, signal }) => fetchPage(pageParam, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled,
  });
  const rows = query.data?.pages.flatMap((p) => p.items) ?? [];

  // Expanded rows get the visible width in pixels and stay in view while the table scrolls
  // sideways; percentages inside a max-content table would grow without bound.
  const boxRef = useRef<HTMLDivElement>(null);
  const [boxWidth, setBoxWidth] = useState<number | undefined>(undefined);
  useEffect(() => {
    const el = boxRef.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => setBoxWidth(el.clientWidth));
    observer.observe(el);
    setBoxWidth(el.clientWidth);
    return () => observer.disconnect();
  }, []);
  const render = expandable?.expandedRowRender;
  const fittedExpandable: TableProps<T>['expandable'] = render
    ? {
        ...expandable,
        expandedRowRender: (record, index, indent, expanded) => (
          <div style={{ width: boxWidth ? Math.max(boxWidth - 34, 200) : undefined, position: 'sticky', left: 16 }}>
            {render(record, index, indent, expanded)}
          </div>
        ),
      }
    : expandable;

  const footer = (
    <Flex justify="center" align="center" gap={12} wrap style={{ padding: '12px 0' }}>
      <Typography.Text type="secondary" data-testid="table-count">
        {t('table.loaded', { count: rows.length })}
      </Typography.Text>
      {query.hasNextPage ? (
        <Button onClick={() => void query.fetchNextPage()} loading={query.isFetchingNextPage} data-testid="load-more">
          {t('actions.loadMore')}
        </Button>
      ) : rows.length > 0 ? (
        <Typography.Text type="secondary">{t('table.end')}</Typography.Text>
      ) : null}
    </Flex>
  );

  const error = query.error ? (
    <Alert
      type="error"
      showIcon
      title={t('errors.loadFailed')}
      description={errorText(query.error)}
      action={
        <Button size="small" onClick={() => void query.refetch()}>
          {t('actions.retry')}
        </Button>
      }
      style={{ marginBottom: 12 }}
    />
  ) : null;

  if (isMobile && renderCard) {
    return (
      <div>
        {error}
        <Spin spinning={query.isPending && enabled}>
          {rows.length === 0 && !query.isPending ? (
            <Empty description={t('table.empty')} />
          ) : (
            <Flex vertical gap={12}>
              {rows.map((row) => (
                <Card key={rowKey(row)} size="small" data-testid={rowTestId?.(row)}>
                  {renderCard(row)}
                </Card>
              ))}
            </Flex>
          )}
        </Spin>
        {footer}
      </div>
    );
  }

  return (
    <div ref={boxRef}>
      {error}
      <Table<T>
        rowKey={rowKey}
        columns={columns}
        dataSource={rows}
        loading={query.isPending && enabled}
        pagination={false}
        size={size ?? (isMobile ? 'small' : 'middle')}
        scroll={{ x: 'max-content' }}
        expandable={fittedExpandable}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('table.empty')} /> }}
        onRow={rowTestId ? (row) => ({ 'data-testid': rowTestId(row) }) as HTMLAttributes<HTMLElement> : undefined}
      />
      {footer}
    </div>
  );
}

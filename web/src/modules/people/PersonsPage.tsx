import { useState } from 'react';
import { App, Button, Checkbox, Col, DatePicker, Dropdown, Flex, Input, Modal, Row, Select, Space, Typography } from 'antd';
import type { TableProps } from 'antd';
import { DownloadOutlined, PlusOutlined, TagsOutlined } from '@ant-design/icons';
import { useQueryClient, type InfiniteData } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import type { Person, Relation } from '@courtyard/contracts';
import { hasPermission, useMe } from '../../app/session';
import { DataTable, type KeysetPage } from '../../ui/DataTable';
import { PageHeader } from '../../ui/PageHeader';
import { formatDateTimeShort } from '../../ui/format';
import { useApiError } from '../../ui/useApiError';
import { peopleKeys, personsApi, registryApi, useBuildings, useRoomOptions, useTags, type PersonFilters } from './api';
import { RELATIONS } from './labels';
import { CommunityPicker, PersonSecret, TagChip } from './parts';
import { PersonFormDrawer } from './PersonFormDrawer';
import { formKey } from '../../ui/formKey';

type Residence = 'any' | 'current' | 'former';

/** Tag (or untag) the selected persons in one request (≤ 1000 ids, one audit entry on the server). */
function BulkTagModal({
  mode,
  communityId,
  ids,
  onClose,
  onDone,
}: {
  mode: 'apply' | 'remove' | null;
  communityId: string | undefined;
  ids: string[];
  onClose: () => void;
  onDone: () => void;
}) {
  const { t } = useTranslation(['people', 'common']);
  const { message } = App.useApp();
  const showError = useApiError();
  const client = useQueryClient();
  const tags = useTags(communityId);
  const [tagId, setTagId] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const run = async () => {
    if (!tagId || !mode) return;
    setBusy(true);
    try {
      if (mode === 'apply') await registryApi.applyTag(tagId, ids);
      else await registryApi.removeTag(tagId, ids);
      void message.success(t(mode === 'apply' ? 'persons.tagApplied' : 'persons.tagRemoved', { count: ids.length }));
      await client.invalidateQueries({ queryKey: peopleKeys.persons });
      onDone();
    } catch (error) {
      showError(error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open={mode !== null}
      title={t(mode === 'remove' ? 'persons.bulkUntagTitle' : 'persons.bulkTagTitle', { count: ids.length })}
      onCancel={onClose}
      onOk={() => void run()}
      okButtonProps={{ disabled: !tagId, loading: busy, 'data-testid': 'bulk-tag-submit' }}
      okText={t('common:actions.confirm')}
      cancelText={t('common:actions.cancel')}
      destroyOnHidden
    >
      <Select<string>
        style={{ width: '100%' }}
        placeholder={t('persons.chooseTag')}
        value={tagId}
        onChange={setTagId}
        loading={tags.isPending}
        options={(tags.data?.items ?? []).filter((tag) => tag.kind !== 'derived').map((tag) => ({ value: tag.id, label: <TagChip tag={tag} /> }))}
        data-testid="bulk-tag-select"
      />
    </Modal>
  );
}

/** `/registry/persons` (业主信息): filter, reveal, bulk-tag, export. */
export default function PersonsPage() {
  const { t } = useTranslation(['people', 'common']);
  const { message } = App.useApp();
  const { me } = useMe();
  const client = useQueryClient();
  const canManage = hasPermission(me, 'people.person.manage');
  const canTag = hasPermission(me, 'properties.tag.manage');
  const canExport = hasPermission(me, 'data.export.run');
  const [search, setSearch] = useState('');
  const [roomQ, setRoomQ] = useState('');
  const [filters, setFilters] = useState<PersonFilters>({});
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [bulk, setBulk] = useState<'apply' | 'remove' | null>(null);
  const [creating, setCreating] = useState(false);
  const communityId = filters.communityId;
  const buildings = useBuildings(communityId);
  const rooms = useRoomOptions(communityId, roomQ);
  const tags = useTags(communityId);
  const queryKey = peopleKeys.personList(filters);

  const set = (patch: Partial<PersonFilters>) => {
    setFilters((f) => {
      const next = { ...f, ...patch };
      for (const key of Object.keys(next) as (keyof PersonFilters)[]) if (next[key] === undefined) delete next[key];
      return next;
    });
    setSelected(new Set());
  };
  const residence: Residence = filters.current === undefined ? 'any' : filters.current ? 'current' : 'former';

  const loaded = (): Person[] =>
    client.getQueryData<InfiniteData<KeysetPage<Person>>>(queryKey)?.pages.flatMap((p) => p.items) ?? [];
  const toggle = (id: string, on: boolean) =>
    setSelected((s) => {
      const next = new Set(s);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });

  const selectColumn: NonNullable<TableProps<Person>['columns']>[number] = {
    key: 'select',
    width: 40,
    fixed: 'left',
    title: (
      <Checkbox
        aria-label={t('persons.selected', { count: selected.size })}
        checked={selected.size > 0}
        indeterminate={selected.size > 0 && selected.size < loaded().length}
        onChange={(e) => setSelected(e.target.checked ? new Set(loaded().map((p) => p.id)) : new Set())}
        data-testid="select-all"
      />
    ),
    render: (_, person) => <Checkbox checked={selected.has(person.id)} onChange={(e) => toggle(person.id, e.target.checked)} />,
  };

  const columns: TableProps<Person>['columns'] = [
    ...(canTag ? [selectColumn] : []),
    {
      title: t('person.name'),
      dataIndex: 'name',
      render: (name: string, person) => (
        <Link to={`/registry/persons/${person.id}`} data-user-data data-testid={`person-link-${person.id}`}>
          {name}
        </Link>
      ),
    },
    { title: t('person.phone'), dataIndex: 'phone', render: (_, person) => <PersonSecret person={person} field="phone" /> },
    { title: t('person.idNumber'), dataIndex: 'idNumber', render: (_, person) => <PersonSecret person={person} field="idNumber" /> },
    { title: t('person.kind'), dataIndex: 'kind', render: (kind: Person['kind']) => t(`kind.${kind}`) },
    {
      title: t('person.tags'),
      dataIndex: 'tags',
      render: (list: Person['tags']) => (
        <Space size={[4, 4]} wrap style={{ maxWidth: 260 }}>
          {list.map((tag) => (
            <TagChip key={tag.id} tag={tag} />
          ))}
        </Space>
      ),
    },
    { title: t('person.createdAt'), dataIndex: 'createdAt', render: (v: string) => formatDateTimeShort(v) },
  ];

  const renderCard = (person: Person) => (
    <Flex vertical gap={6}>
      <Flex justify="space-between" align="center" gap={8}>
        <Space size={8}>
          {canTag ? <Checkbox checked={selected.has(person.id)} onChange={(e) => toggle(person.id, e.target.checked)} /> : null}
          <Link to={`/registry/persons/${person.id}`} data-user-data>
            <Typography.Text strong>{person.name}</Typography.Text>
          </Link>
        </Space>
        <Typography.Text type="secondary">{t(`kind.${person.kind}`)}</Typography.Text>
      </Flex>
      <Flex gap={8} wrap>
        <Typography.Text type="secondary">{t('person.phone')}</Typography.Text>
        <PersonSecret person={person} field="phone" />
      </Flex>
      <Flex gap={8} wrap>
        <Typography.Text type="secondary">{t('person.idNumber')}</Typography.Text>
        <PersonSecret person={person} field="idNumber" />
      </Flex>
      {person.tags.length ? (
        <Space size={[4, 4]} wrap>
          {person.tags.map((tag) => (
            <TagChip key={tag.id} tag={tag} />
          ))}
        </Space>
      ) : null}
    </Flex>
  );

  const exportItems = (['xlsx', 'csv'] as const).map((format) => ({
    key: format,
    label: (
      <a href={personsApi.exportUrl(format, filters)} download data-testid={`export-${format}`}>
        {t(format === 'xlsx' ? 'persons.exportXlsx' : 'persons.exportCsv')}
      </a>
    ),
  }));

  return (
    <>
      <PageHeader
        title={t('persons.title')}
        extra={
          <>
            {canExport ? (
              <Dropdown menu={{ items: exportItems }} trigger={['click']}>
                <Button icon={<DownloadOutlined />} data-testid="persons-export">
                  {t('persons.export')}
                </Button>
              </Dropdown>
            ) : null}
            {canManage ? (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="person-create">
                {t('persons.create')}
              </Button>
            ) : null}
          </>
        }
      />
      <Row gutter={[12, 12]} style={{ marginBottom: 16 }}>
        <Col xs={24} md={12} lg={8}>
          <Input.Search
            allowClear
            placeholder={t('persons.searchPlaceholder')}
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            onSearch={(value) => set({ q: value.trim() || undefined })}
            enterButton
            data-testid="persons-search"
          />
        </Col>
        <Col xs={24} sm={12} md={12} lg={8}>
          <CommunityPicker
            allowAll
            value={communityId}
            onChange={(id) => set({ communityId: id, buildingId: undefined, roomId: undefined, tagId: undefined })}
          />
        </Col>
        <Col xs={12} sm={12} md={8} lg={4}>
          <Select<string>
            allowClear
            style={{ width: '100%' }}
            placeholder={t('persons.building')}
            disabled={!communityId}
            value={filters.buildingId}
            onChange={(buildingId) => set({ buildingId })}
            options={(buildings.data?.items ?? []).map((b) => ({ value: b.id, label: b.name }))}
            data-testid="persons-building"
          />
        </Col>
        <Col xs={12} sm={12} md={8} lg={4}>
          <Select<string>
            allowClear
            style={{ width: '100%' }}
            placeholder={t('persons.room')}
            disabled={!communityId}
            value={filters.roomId}
            onChange={(roomId) => set({ roomId })}
            showSearch={{ filterOption: false, onSearch: setRoomQ }}
            options={(rooms.data?.items ?? []).map((r) => ({ value: r.id, label: r.code }))}
            data-testid="persons-room"
          />
        </Col>
        <Col xs={12} sm={12} md={8} lg={4}>
          <Select<Relation>
            allowClear
            style={{ width: '100%' }}
            placeholder={t('persons.relation')}
            value={filters.relation}
            onChange={(relation) => set({ relation })}
            options={RELATIONS.map((r) => ({ value: r, label: t(`relation.${r}`) }))}
            data-testid="persons-relation"
          />
        </Col>
        <Col xs={12} sm={12} md={8} lg={4}>
          <Select<string>
            allowClear
            style={{ width: '100%' }}
            placeholder={t('persons.tag')}
            disabled={!communityId}
            value={filters.tagId}
            onChange={(tagId) => set({ tagId })}
            options={(tags.data?.items ?? []).map((tag) => ({ value: tag.id, label: <TagChip tag={tag} /> }))}
            data-testid="persons-tag"
          />
        </Col>
        <Col xs={24} sm={12} md={8} lg={8}>
          <DatePicker.RangePicker
            style={{ width: '100%' }}
            placeholder={[t('persons.movedIn'), t('persons.movedIn')]}
            onChange={(range) =>
              set({ movedInFrom: range?.[0]?.format('YYYY-MM-DD') ?? undefined, movedInTo: range?.[1]?.format('YYYY-MM-DD') ?? undefined })
            }
            data-testid="persons-moved-in"
          />
        </Col>
        <Col xs={24} sm={12} md={8} lg={4}>
          <Select<Residence>
            style={{ width: '100%' }}
            value={residence}
            onChange={(v) => set({ current: v === 'any' ? undefined : v === 'current' })}
            options={[
              { value: 'any', label: `${t('persons.status')}: ${t('persons.any')}` },
              { value: 'current', label: t('persons.current') },
              { value: 'former', label: t('persons.former') },
            ]}
            data-testid="persons-residence"
          />
        </Col>
      </Row>
      {canTag && selected.size > 0 ? (
        <Flex wrap gap={8} align="center" style={{ marginBottom: 12 }} data-testid="bulk-bar">
          <Typography.Text>{t('persons.selected', { count: selected.size })}</Typography.Text>
          <Button
            size="small"
            icon={<TagsOutlined />}
            onClick={() => (communityId ? setBulk('apply') : void message.info(t('persons.pickCommunityForTags')))}
            data-testid="bulk-tag"
          >
            {t('persons.bulkTag')}
          </Button>
          <Button size="small" onClick={() => (communityId ? setBulk('remove') : void message.info(t('persons.pickCommunityForTags')))}>
            {t('persons.bulkUntag')}
          </Button>
          <Button size="small" type="link" onClick={() => setSelected(new Set())}>
            {t('persons.clearSelection')}
          </Button>
        </Flex>
      ) : null}
      <DataTable<Person>
        queryKey={queryKey}
        fetchPage={(cursor, signal) => personsApi.list(filters, cursor, signal)}
        columns={columns}
        rowKey={(p) => p.id}
        rowTestId={(p) => `person-row-${p.id}`}
        renderCard={renderCard}
      />
      <BulkTagModal
        mode={bulk}
        communityId={communityId}
        ids={[...selected]}
        onClose={() => setBulk(null)}
        onDone={() => {
          setBulk(null);
          setSelected(new Set());
        }}
      />
      <PersonFormDrawer key={formKey(creating, null)} open={creating} onClose={() => setCreating(false)} communityId={communityId} />
    </>
  );
}

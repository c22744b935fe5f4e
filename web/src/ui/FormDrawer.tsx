import type { ReactNode } from 'react';
import { Button, Drawer, Space } from 'antd';
import type { FormInstance } from 'antd';
import { useTranslation } from 'react-i18next';
import { useIsMobile } from './useIsMobile';

/**
 * A drawer holding one vertical form, save / cancel in the footer; full width on phones. Without a
 * form (a read-only view in the same drawer) the footer is empty.
 */
export function FormDrawer<V extends object>({
  open,
  title,
  form,
  saving,
  onClose,
  testId,
  children,
  extra,
  width = 480,
}: {
  open: boolean;
  title: string;
  form: FormInstance<V> | null;
  saving: boolean;
  onClose: () => void;
  testId: string;
  children: ReactNode;
  extra?: ReactNode;
  width?: number;
}) {
  const { t } = useTranslation('common');
  const isMobile = useIsMobile();
  return (
    <Drawer
      open={open}
      onClose={onClose}
      title={title}
      size={isMobile ? '100%' : width}
      destroyOnHidden
      data-testid={testId}
      extra={extra}
      footer={
        form ? (
          <Space>
            <Button type="primary" loading={saving} onClick={() => form.submit()} data-testid={`${testId}-save`}>
              {t('actions.save')}
            </Button>
            <Button onClick={onClose}>{t('actions.cancel')}</Button>
          </Space>
        ) : null
      }
    >
      {children}
    </Drawer>
  );
}

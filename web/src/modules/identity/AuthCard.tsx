import type { ReactNode } from 'react';
import { Card, Flex, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from '../../app/LanguageSwitch';

/** The frame of the sign-in and forced password-change pages: centred card, language switch on top. */
export function AuthCard({ title, subtitle, children, footer }: { title: string; subtitle?: string; children: ReactNode; footer?: ReactNode }) {
  const { t } = useTranslation();
  return (
    <Flex
      vertical
      style={{
        minHeight: '100vh',
        background: 'linear-gradient(160deg, #e6f0ff 0%, #f5f7fa 45%, #eef7f0 100%)',
      }}
    >
      <Flex justify="space-between" align="center" style={{ padding: '12px 16px' }}>
        <Flex align="center" gap={8}>
          <img src="/favicon.svg" alt="" width={28} height={28} />
          <Typography.Text strong style={{ fontSize: 16 }}>
            {t('app.shortName')}
          </Typography.Text>
        </Flex>
        <LanguageSwitch />
      </Flex>
      <Flex flex={1} justify="center" align="flex-start" style={{ padding: '4vh 16px 32px' }}>
        <Card style={{ width: '100%', maxWidth: 400 }} styles={{ body: { padding: 28 } }}>
          <Typography.Title level={3} style={{ marginTop: 0, marginBottom: 4 }} data-testid="page-title">
            {title}
          </Typography.Title>
          {subtitle ? (
            <Typography.Paragraph type="secondary" style={{ marginBottom: 24 }}>
              {subtitle}
            </Typography.Paragraph>
          ) : null}
          {children}
          {footer ? <div style={{ marginTop: 16, textAlign: 'center' }}>{footer}</div> : null}
        </Card>
      </Flex>
    </Flex>
  );
}

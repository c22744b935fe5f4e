import { Button, Flex, Result, Spin } from 'antd';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useErrorText } from '../ui/useApiError';

export function ForbiddenPage() {
  const { t } = useTranslation();
  return (
    <Result
      status="403"
      title={<span data-testid="forbidden">{t('pages.forbidden.title')}</span>}
      subTitle={t('pages.forbidden.subtitle')}
      extra={
        <Link to="/">
          <Button type="primary">{t('pages.forbidden.home')}</Button>
        </Link>
      }
    />
  );
}

export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <Result
      status="404"
      title={t('pages.notFound.title')}
      subTitle={t('pages.notFound.subtitle')}
      extra={
        <Link to="/">
          <Button type="primary">{t('pages.notFound.home')}</Button>
        </Link>
      }
    />
  );
}

export function PageSpinner({ full = false }: { full?: boolean }) {
  const { t } = useTranslation();
  return (
    <Flex justify="center" align="center" style={{ minHeight: full ? '100vh' : 240 }}>
      <Spin size="large" description={t('pages.loading')} />
    </Flex>
  );
}

export function LoadErrorPage({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  const { t } = useTranslation();
  const text = useErrorText();
  return (
    <Result
      status="error"
      title={t('errors.loadFailed')}
      subTitle={text(error)}
      extra={
        <Button type="primary" onClick={onRetry}>
          {t('actions.retry')}
        </Button>
      }
    />
  );
}

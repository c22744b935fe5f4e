import { useEffect } from 'react';
import { Navigate, Link, useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { safeNext, useMe } from '../../app/session';
import { PageSpinner } from '../../app/StatusPages';
import { AuthCard } from './AuthCard';
import { SignInForm } from './SignInForm';

/** Staff sign-in (`/sign-in`). */
export default function SignInPage() {
  const { t } = useTranslation('identity');
  const { t: tc } = useTranslation();
  const { me, isPending } = useMe();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'), '/');
  useEffect(() => {
    document.title = `${t('signin.title')} · ${tc('app.shortName')}`;
  }, [t, tc]);
  if (isPending) return <PageSpinner full />;
  if (me) return <Navigate to={next} replace />;
  return (
    <AuthCard title={t('signin.title')} subtitle={t('signin.subtitle')} footer={<Link to="/portal/sign-in">{t('signin.toPortal')}</Link>}>
      <SignInForm next={next} />
    </AuthCard>
  );
}

import { useEffect } from 'react';
import { Link, Navigate, useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { safeNext, useMe } from '../../app/session';
import { PageSpinner } from '../../app/StatusPages';
import { AuthCard } from '../identity/AuthCard';
import { SignInForm } from '../identity/SignInForm';

/** `/portal/sign-in`: the owners' sign-in (same API as the console), then the portal. */
export default function PortalSignInPage() {
  const { t } = useTranslation('identity');
  const { t: tc } = useTranslation();
  const { me, isPending } = useMe();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'), '/portal');
  useEffect(() => {
    document.title = `${t('signin.portalTitle')} · ${tc('app.shortName')}`;
  }, [t, tc]);
  if (isPending) return <PageSpinner full />;
  if (me) return <Navigate to={next} replace />;
  return (
    <AuthCard title={t('signin.portalTitle')} subtitle={t('signin.portalSubtitle')} footer={<Link to="/sign-in">{t('signin.toConsole')}</Link>}>
      <SignInForm next={next} />
    </AuthCard>
  );
}

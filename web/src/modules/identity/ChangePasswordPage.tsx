import { App, Button } from 'antd';
import { useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../app/session';
import { AuthCard } from './AuthCard';
import { PasswordForm } from './PasswordForm';
import { useSignOut } from '../../app/useSignOut';

/** `/change-password`: the forced password change after the first sign-in or a reset. */
export default function ChangePasswordPage() {
  const { t } = useTranslation('identity');
  const { t: tc } = useTranslation();
  const { me } = useMe();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const signOut = useSignOut();
  const forced = !!me?.passwordChangeRequired;
  const home = me?.user.kind === 'owner' ? '/portal' : '/';
  return (
    <AuthCard
      title={forced ? t('password.forcedTitle') : t('password.title')}
      subtitle={forced ? t('password.forcedHint') : undefined}
      footer={
        forced ? (
          <Button type="link" onClick={() => void signOut(me?.user.kind === 'owner' ? '/portal/sign-in' : '/sign-in')}>
            {tc('header.signOut')}
          </Button>
        ) : (
          <Button type="link" onClick={() => void navigate(home)}>
            {tc('actions.back')}
          </Button>
        )
      }
    >
      <PasswordForm
        onChanged={(next) => {
          void message.success(t('password.changed'));
          void navigate(next.user.kind === 'owner' ? '/portal' : '/', { replace: true });
        }}
      />
    </AuthCard>
  );
}

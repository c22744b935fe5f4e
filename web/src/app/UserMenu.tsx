import { Avatar, Button, Dropdown, Typography } from 'antd';
import type { MenuProps } from 'antd';
import { AppstoreOutlined, HomeOutlined, KeyOutlined, LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useMe } from './session';
import { useSignOut } from './useSignOut';

/** Header user menu: the signed-in user's name, their account, the other app, sign out. */
export function UserMenu({ variant, compact = false }: { variant: 'console' | 'portal'; compact?: boolean }) {
  const { t } = useTranslation();
  const { me } = useMe();
  const navigate = useNavigate();
  const signOut = useSignOut();
  if (!me) return null;
  const isOwner = me.user.kind === 'owner';
  const items: MenuProps['items'] = [];
  if (!isOwner) {
    items.push({ key: 'account', icon: <UserOutlined />, label: <span data-testid="user-menu-account">{t('header.account')}</span> });
    items.push(
      variant === 'console'
        ? { key: 'portal', icon: <HomeOutlined />, label: t('header.portal') }
        : { key: 'console', icon: <AppstoreOutlined />, label: t('header.console') },
    );
  } else {
    items.push({ key: 'password', icon: <KeyOutlined />, label: t('header.changePassword') });
  }
  items.push({ type: 'divider' });
  items.push({ key: 'signout', icon: <LogoutOutlined />, danger: true, label: <span data-testid="signout">{t('header.signOut')}</span> });

  const onClick: MenuProps['onClick'] = ({ key }) => {
    if (key === 'account') void navigate('/account');
    else if (key === 'password') void navigate('/change-password');
    else if (key === 'portal') void navigate('/portal');
    else if (key === 'console') void navigate('/');
    else if (key === 'signout') void signOut(variant === 'portal' || isOwner ? '/portal/sign-in' : '/sign-in');
  };

  const initial = me.user.displayName.trim().charAt(0).toUpperCase() || me.user.username.charAt(0).toUpperCase();
  return (
    <Dropdown trigger={['click']} menu={{ items, onClick }}>
      <Button type="text" data-testid="user-menu" style={{ paddingInline: 6, height: 40 }}>
        <Avatar size="small" style={{ backgroundColor: '#1677ff' }} data-user-data>
          {initial}
        </Avatar>
        {compact ? null : (
          <Typography.Text ellipsis style={{ maxWidth: 140 }} data-user-data>
            {me.user.displayName}
          </Typography.Text>
        )}
      </Button>
    </Dropdown>
  );
}

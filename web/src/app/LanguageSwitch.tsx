import { Button, Dropdown } from 'antd';
import { GlobalOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { LOCALES } from '@courtyard/contracts';
import { currentLocale } from './i18n';
import { useSwitchLocale } from './locale';

/** Header language switch; each language is named in its own script. */
export function LanguageSwitch({ compact = false }: { compact?: boolean }) {
  const { t, i18n } = useTranslation();
  const switchLocale = useSwitchLocale();
  const locale = currentLocale();
  return (
    <Dropdown
      trigger={['click']}
      menu={{
        selectable: true,
        selectedKeys: [i18n.language],
        items: LOCALES.map((l) => ({ key: l, label: <span data-testid={`lang-${l}`}>{t(`language.${l}`)}</span> })),
        onClick: ({ key }) => {
          const next = LOCALES.find((l) => l === key);
          if (next) void switchLocale(next);
        },
      }}
    >
      <Button type="text" icon={<GlobalOutlined />} data-testid="lang-switch" aria-label={t('header.language')}>
        {compact ? null : t(`language.${locale}`)}
      </Button>
    </Dropdown>
  );
}

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { RouterProvider } from 'react-router-dom';
import i18n, { currentLocale } from './app/i18n';
import { Providers } from './app/Providers';
import { queryClient } from './app/queryClient';
import { router } from './app/router';
import { meKey, storeMe } from './app/session';
import { configureApi } from './ui/api';
import './app/global.css';

configureApi({
  language: currentLocale,
  networkErrorDetail: () => i18n.t('errors.network'),
  onProblem: (error) => {
    switch (error.code) {
      case 'auth.unauthenticated':
        // The guards send the user to the right sign-in page.
        storeMe(queryClient, null);
        break;
      case 'auth.password_change_required':
        void queryClient.invalidateQueries({ queryKey: meKey });
        void router.navigate('/change-password');
        break;
      case 'auth.mfa_required':
        void queryClient.invalidateQueries({ queryKey: meKey });
        void router.navigate('/account?tab=mfa');
        break;
      default:
        break;
    }
  },
});

const container = document.getElementById('root');
if (container) {
  createRoot(container).render(
    <StrictMode>
      <Providers>
        <RouterProvider router={router} />
      </Providers>
    </StrictMode>,
  );
}

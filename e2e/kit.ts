import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';

/**
 * What a journey file under e2e/journeys/ gets from the runner (run.ts): the running server, the
 * browser and the helpers every journey uses. A journey file exports `journeys: Journey[]`;
 * run.ts loads every file of that folder (alphabetically) after its own journeys.
 */
export interface Kit {
  baseUrl: string;
  browser: Browser;
  /** A fresh browser context (zh-CN, Asia/Shanghai) and page; closed by the runner after the journey. */
  newPage(viewport?: { width: number; height: number }): Promise<{ context: BrowserContext; page: Page }>;
  /** Screenshot to e2e/artifacts/<journey>-<step>.png; `overlay` = viewport only (drawers, dialogs). */
  shot(page: Page, journey: string, step: string, overlay?: boolean): Promise<void>;
  byTestId(page: Page, id: string): Locator;
  /** Signs in on the current page (the sign-in form must be shown). */
  signIn(page: Page, username: string, password: string): Promise<void>;
  signOut(page: Page): Promise<void>;
  switchLocale(page: Page, locale: 'zh-CN' | 'en-US'): Promise<void>;
  fetchStatus(page: Page, url: string): Promise<number>;
  /**
   * Picks the option showing `text` of a single-choice antd Select opened by clicking `select`
   * (`search`: type the text first). Waits until the choice is applied (the dropdown closes): a
   * click that lands while the dropdown is still animating open is lost, and is repeated.
   */
  pick(page: Page, select: Locator, text: string, search?: boolean): Promise<void>;
  /** Demo accounts seeded by `COURTYARD_SEED_DEMO` (see README). */
  demo: Record<'cashier' | 'manager' | 'owner' | 'service', { username: string; password: string }>;
  desktop: { width: number; height: number };
  phone: { width: number; height: number };
  /** Directory for screenshots and other artefacts. */
  artifacts: string;
}

export interface Journey {
  name: string;
  run(kit: Kit): Promise<void>;
}

import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import { ApartmentOutlined, ApiOutlined, AuditOutlined, BankOutlined, CarOutlined, CloudUploadOutlined, ContactsOutlined, IdcardOutlined, FormatPainterOutlined, TableOutlined, TagsOutlined, HomeOutlined, NotificationOutlined, SafetyCertificateOutlined, SendOutlined, SettingOutlined, TeamOutlined, UserOutlined } from '@ant-design/icons';
import { CommentOutlined, FormOutlined, MessageOutlined, PhoneOutlined } from '@ant-design/icons';
import { DashboardOutlined, ProfileOutlined, ToolOutlined } from '@ant-design/icons';
import { AccountBookOutlined, CheckSquareOutlined, ScheduleOutlined } from '@ant-design/icons';
import { MoneyCollectOutlined, ThunderboltOutlined } from '@ant-design/icons';
import type { Permission } from '@courtyard/contracts';

/**
 * THE route table. Each entry: path → page → required permission → menu entry.
 * The router (router.tsx) and the side menu (NavMenu.tsx) are both built from it.
 *
 * - `shell: 'console'` — staff console layout with the side menu; needs a signed-in user.
 * - `shell: 'portal'`  — owner portal layout (mobile first, no side menu); needs a signed-in user.
 * - `shell: 'bare'`    — a page on its own (sign-in, forced password change).
 * - `permission` — the user needs it (`me.permissions`) to see the menu entry and the page;
 *   without it the route shows the 403 page.
 */
export type Shell = 'console' | 'portal' | 'bare';
export type MenuGroup = 'workspace' | 'admin' | 'me';
export type MenuLabelKey = 'menu.home' | 'menu.users' | 'menu.roles' | 'menu.audit' | 'menu.account' | 'menu.webhooks' | 'menu.settings' | 'menu.notificationTemplates' | 'menu.notificationDeliveries' | 'menu.registryTree' | 'menu.registryCommunities' | 'menu.registryRooms' | 'menu.registryParking' | 'menu.registryRenovations' | 'menu.registryTags' | 'menu.registryPersons' | 'menu.registryVehicles' | 'menu.registryImport' | 'menu.surveys' | 'menu.feedback' | 'menu.feedbackTriage' | 'menu.visits' | 'menu.serviceBoard' | 'menu.serviceDashboard' | 'menu.myTasks' | 'menu.serviceSettings' | 'menu.billingCashier' | 'menu.billingBills' | 'menu.billingApprovals' | 'menu.billingRuns' | 'menu.billingFees' | 'menu.billingMeters';

export interface AppRoute {
  /** Stable name; the menu item's test id is `menu-<key>`. */
  key: string;
  path: string;
  shell: Shell;
  /** Reachable without signing in. */
  public?: boolean;
  page: LazyExoticComponent<ComponentType>;
  permission: Permission | null;
  menu?: { label: MenuLabelKey; icon: ComponentType; group: MenuGroup };
}

export const routes: AppRoute[] = [
  {
    key: 'home',
    path: '/',
    shell: 'console',
    page: lazy(() => import('./HomePage')),
    permission: null,
    menu: { label: 'menu.home', icon: HomeOutlined, group: 'workspace' },
  },
  {
    key: 'registry-tree',
    path: '/registry',
    shell: 'console',
    page: lazy(() => import('../modules/properties/PropertyTreePage')),
    permission: 'properties.room.read',
    menu: { label: 'menu.registryTree', icon: ApartmentOutlined, group: 'workspace' },
  },
  {
    key: 'registry-communities',
    path: '/registry/communities',
    shell: 'console',
    page: lazy(() => import('../modules/properties/CommunitiesPage')),
    permission: 'properties.community.read',
    menu: { label: 'menu.registryCommunities', icon: BankOutlined, group: 'workspace' },
  },
  {
    key: 'registry-rooms',
    path: '/registry/rooms',
    shell: 'console',
    page: lazy(() => import('../modules/properties/RoomsPage')),
    permission: 'properties.room.read',
    menu: { label: 'menu.registryRooms', icon: TableOutlined, group: 'workspace' },
  },
  {
    key: 'registry-room',
    path: '/registry/rooms/:id',
    shell: 'console',
    page: lazy(() => import('../modules/properties/RoomCardPage')),
    permission: 'properties.room.read',
  },
  {
    key: 'registry-persons',
    path: '/registry/persons',
    shell: 'console',
    page: lazy(() => import('../modules/people/PersonsPage')),
    permission: 'people.person.read',
    menu: { label: 'menu.registryPersons', icon: ContactsOutlined, group: 'workspace' },
  },
  {
    key: 'registry-person',
    path: '/registry/persons/:id',
    shell: 'console',
    page: lazy(() => import('../modules/people/PersonPage')),
    permission: 'people.person.read',
  },
  {
    key: 'registry-parking',
    path: '/registry/parking',
    shell: 'console',
    page: lazy(() => import('../modules/properties/ParkingPage')),
    permission: 'properties.room.read',
    menu: { label: 'menu.registryParking', icon: CarOutlined, group: 'workspace' },
  },
  {
    key: 'registry-vehicles',
    path: '/registry/vehicles',
    shell: 'console',
    page: lazy(() => import('../modules/people/VehiclesPage')),
    permission: 'people.person.read',
    menu: { label: 'menu.registryVehicles', icon: IdcardOutlined, group: 'workspace' },
  },
  {
    key: 'registry-renovations',
    path: '/registry/renovations',
    shell: 'console',
    page: lazy(() => import('../modules/properties/RenovationsPage')),
    permission: 'properties.room.read',
    menu: { label: 'menu.registryRenovations', icon: FormatPainterOutlined, group: 'workspace' },
  },
  {
    key: 'registry-tags',
    path: '/registry/tags',
    shell: 'console',
    page: lazy(() => import('../modules/properties/TagsPage')),
    permission: 'properties.tag.manage',
    menu: { label: 'menu.registryTags', icon: TagsOutlined, group: 'workspace' },
  },
  {
    key: 'registry-import',
    path: '/registry/import',
    shell: 'console',
    page: lazy(() => import('../modules/exchange/ImportPage')),
    permission: 'data.import.run',
    menu: { label: 'menu.registryImport', icon: CloudUploadOutlined, group: 'workspace' },
  },
  // Billing (issue 5): cashier's counter and the owner portal's bills.
  {
    key: 'billing-cashier',
    path: '/billing/cashier',
    shell: 'console',
    page: lazy(() => import('../modules/billing/CashierPage')),
    permission: 'billing.payment.collect',
    menu: { label: 'menu.billingCashier', icon: AccountBookOutlined, group: 'workspace' },
  },
  {
    key: 'billing-bills',
    path: '/billing/bills',
    shell: 'console',
    page: lazy(() => import('../modules/billing/BillsPage')),
    permission: 'billing.bill.read',
    menu: { label: 'menu.billingBills', icon: ProfileOutlined, group: 'workspace' },
  },
  {
    key: 'billing-approvals',
    path: '/billing/approvals',
    shell: 'console',
    page: lazy(() => import('../modules/billing/ApprovalsPage')),
    permission: 'billing.approval.decide',
    menu: { label: 'menu.billingApprovals', icon: CheckSquareOutlined, group: 'workspace' },
  },
  {
    key: 'billing-runs',
    path: '/billing/runs',
    shell: 'console',
    page: lazy(() => import('../modules/billing/BillRunsPage')),
    permission: 'billing.run.manage',
    menu: { label: 'menu.billingRuns', icon: ScheduleOutlined, group: 'workspace' },
  },
  // Billing set-up: fee items and rules, meters and readings.
  {
    key: 'billing-fees',
    path: '/billing/fees',
    shell: 'console',
    page: lazy(() => import('../modules/billing/FeesPage')),
    permission: 'billing.fee.read',
    menu: { label: 'menu.billingFees', icon: MoneyCollectOutlined, group: 'workspace' },
  },
  {
    key: 'billing-meters',
    path: '/billing/meters',
    shell: 'console',
    page: lazy(() => import('../modules/billing/MetersPage')),
    permission: 'billing.meter.read',
    menu: { label: 'menu.billingMeters', icon: ThunderboltOutlined, group: 'workspace' },
  },
  {
    key: 'portal-bills',
    path: '/portal/bills',
    shell: 'portal',
    page: lazy(() => import('../modules/billing/portal/PortalBillsPage')),
    permission: 'portal.self.use',
  },
  {
    key: 'users',
    path: '/admin/users',
    shell: 'console',
    page: lazy(() => import('../modules/identity/UsersPage')),
    permission: 'identity.user.read',
    menu: { label: 'menu.users', icon: TeamOutlined, group: 'admin' },
  },
  {
    key: 'roles',
    path: '/admin/roles',
    shell: 'console',
    page: lazy(() => import('../modules/identity/RolesPage')),
    permission: 'identity.role.read',
    menu: { label: 'menu.roles', icon: SafetyCertificateOutlined, group: 'admin' },
  },
  {
    key: 'audit',
    path: '/audit',
    shell: 'console',
    page: lazy(() => import('../modules/audit/AuditPage')),
    permission: 'audit.log.read',
    menu: { label: 'menu.audit', icon: AuditOutlined, group: 'admin' },
  },
  {
    key: 'settings',
    path: '/admin/settings',
    shell: 'console',
    page: lazy(() => import('../modules/settings/SettingsPage')),
    permission: 'settings.system.read',
    menu: { label: 'menu.settings', icon: SettingOutlined, group: 'admin' },
  },
  {
    key: 'webhooks',
    path: '/admin/webhooks',
    shell: 'console',
    page: lazy(() => import('../modules/webhooks/WebhooksPage')),
    permission: 'webhooks.endpoint.manage',
    menu: { label: 'menu.webhooks', icon: ApiOutlined, group: 'admin' },
  },
  {
    key: 'notification-templates',
    path: '/admin/notifications/templates',
    shell: 'console',
    page: lazy(() => import('../modules/notifications/TemplatesPage')),
    permission: 'notifications.template.manage',
    menu: { label: 'menu.notificationTemplates', icon: NotificationOutlined, group: 'admin' },
  },
  {
    key: 'notification-deliveries',
    path: '/admin/notifications/deliveries',
    shell: 'console',
    page: lazy(() => import('../modules/notifications/DeliveriesPage')),
    permission: 'notifications.delivery.read',
    menu: { label: 'menu.notificationDeliveries', icon: SendOutlined, group: 'admin' },
  },
  // Service desk: satisfaction surveys and feedback about the system.
  {
    key: 'surveys',
    path: '/service-desk/surveys',
    shell: 'console',
    page: lazy(() => import('../modules/surveys/SurveysPage')),
    permission: 'service_desk.survey.read',
    menu: { label: 'menu.surveys', icon: FormOutlined, group: 'workspace' },
  },
  { key: 'survey-new', path: '/service-desk/surveys/new', shell: 'console', page: lazy(() => import('../modules/surveys/SurveyEditorPage')), permission: 'service_desk.survey.manage' },
  { key: 'survey-edit', path: '/service-desk/surveys/:id/edit', shell: 'console', page: lazy(() => import('../modules/surveys/SurveyEditorPage')), permission: 'service_desk.survey.manage' },
  { key: 'survey', path: '/service-desk/surveys/:id', shell: 'console', page: lazy(() => import('../modules/surveys/SurveyResultsPage')), permission: 'service_desk.survey.read' },
  {
    key: 'return-visits',
    path: '/service-desk/return-visits',
    shell: 'console',
    page: lazy(() => import('../modules/service-desk/visitsPage')),
    permission: 'service_desk.visit.manage',
    menu: { label: 'menu.visits', icon: PhoneOutlined, group: 'workspace' },
  },
  {
    key: 'feedback-triage',
    path: '/service-desk/feedback',
    shell: 'console',
    page: lazy(() => import('../modules/feedback/FeedbackTriagePage')),
    permission: 'service_desk.feedback.manage',
    menu: { label: 'menu.feedbackTriage', icon: MessageOutlined, group: 'workspace' },
  },
  {
    key: 'feedback',
    path: '/feedback',
    shell: 'console',
    page: lazy(() => import('../modules/feedback/MyFeedbackPage')),
    permission: 'service_desk.feedback.send',
    menu: { label: 'menu.feedback', icon: CommentOutlined, group: 'me' },
  },
  { key: 'portal-surveys', path: '/portal/surveys', shell: 'portal', page: lazy(() => import('../modules/surveys/PortalSurveysPage')), permission: 'portal.self.use' },
  { key: 'portal-feedback', path: '/portal/feedback', shell: 'portal', page: lazy(() => import('../modules/feedback/MyFeedbackPage')), permission: 'service_desk.feedback.send' },
  // Service desk: requests (board, detail, dashboard, technician's tasks; owner portal below).
  {
    key: 'service-board',
    path: '/service-desk/board',
    shell: 'console',
    page: lazy(() => import('../modules/service-desk/BoardPage')),
    permission: 'service_desk.request.read',
    menu: { label: 'menu.serviceBoard', icon: ProfileOutlined, group: 'workspace' },
  },
  {
    key: 'service-dashboard',
    path: '/service-desk/dashboard',
    shell: 'console',
    page: lazy(() => import('../modules/service-desk/DashboardPage')),
    permission: 'service_desk.request.read',
    menu: { label: 'menu.serviceDashboard', icon: DashboardOutlined, group: 'workspace' },
  },
  {
    key: 'my-tasks',
    path: '/service-desk/my-tasks',
    shell: 'console',
    page: lazy(() => import('../modules/service-desk/MyTasksPage')),
    permission: 'service_desk.request.work',
    menu: { label: 'menu.myTasks', icon: ToolOutlined, group: 'workspace' },
  },
  {
    key: 'service-settings',
    path: '/service-desk/settings',
    shell: 'console',
    page: lazy(() => import('../modules/service-desk/SettingsPage')),
    permission: 'service_desk.config.manage',
    menu: { label: 'menu.serviceSettings', icon: SettingOutlined, group: 'admin' },
  },
  // Staff and the assigned technician both open a request here; the server decides what each sees.
  { key: 'service-request', path: '/service-desk/requests/:id', shell: 'console', page: lazy(() => import('../modules/service-desk/RequestPage')), permission: null },
  { key: 'portal-requests', path: '/portal/requests', shell: 'portal', page: lazy(() => import('../modules/service-desk/PortalRequestsPage')), permission: 'portal.self.use' },
  { key: 'portal-request-new', path: '/portal/requests/new', shell: 'portal', page: lazy(() => import('../modules/service-desk/PortalReportPage')), permission: 'portal.self.use' },
  { key: 'portal-request', path: '/portal/requests/:id', shell: 'portal', page: lazy(() => import('../modules/service-desk/PortalRequestPage')), permission: 'portal.self.use' },
  {
    key: 'account',
    path: '/account',
    shell: 'console',
    page: lazy(() => import('../modules/identity/AccountPage')),
    permission: null,
    menu: { label: 'menu.account', icon: UserOutlined, group: 'me' },
  },
  {
    key: 'sign-in',
    path: '/sign-in',
    shell: 'bare',
    public: true,
    page: lazy(() => import('../modules/identity/SignInPage')),
    permission: null,
  },
  {
    key: 'change-password',
    path: '/change-password',
    shell: 'bare',
    page: lazy(() => import('../modules/identity/ChangePasswordPage')),
    permission: null,
  },
  {
    key: 'portal-home',
    path: '/portal',
    shell: 'portal',
    page: lazy(() => import('../modules/portal/PortalHomePage')),
    permission: null,
  },
  {
    key: 'portal-my-home',
    path: '/portal/home',
    shell: 'portal',
    page: lazy(() => import('../modules/portal/MyHomePage')),
    permission: 'portal.self.use',
  },
  {
    key: 'portal-sign-in',
    path: '/portal/sign-in',
    shell: 'bare',
    public: true,
    page: lazy(() => import('../modules/portal/PortalSignInPage')),
    permission: null,
  },
];

export const MENU_GROUPS: { key: MenuGroup; label: `menu.groups.${MenuGroup}` }[] = [
  { key: 'workspace', label: 'menu.groups.workspace' },
  { key: 'admin', label: 'menu.groups.admin' },
  { key: 'me', label: 'menu.groups.me' },
];

/** The console route that owns a location (longest matching path), for the menu's selection. */
export function routeForPath(pathname: string): AppRoute | undefined {
  return routes
    .filter((r) => r.shell === 'console' && (r.path === pathname || (r.path !== '/' && pathname.startsWith(`${r.path}/`))))
    .sort((a, b) => b.path.length - a.path.length)[0];
}

import type { EncryptedColumns } from '../../core/crypto/rotation.js';
import { serviceDeskRequests } from './migrations/202612030300_service_desk_requests.js';
import { serviceDeskBoardIndex } from './migrations/202612040100_service_desk_board_index.js';

// Surveys, feedback and return visits (202612030330–0359).
import { serviceDeskSurveys } from './migrations/202612030330_service_desk_surveys.js';
import { serviceDeskFeedback } from './migrations/202612030340_service_desk_feedback.js';
import { serviceDeskVisits } from './migrations/202612030350_service_desk_visits.js';
const satisfactionMigrations = [serviceDeskSurveys, serviceDeskFeedback, serviceDeskVisits];
export { createSurveysService, respondentHash, inAudience, type SurveysService, type SurveysDeps } from './surveys.service.js';
export { surveysRoutes } from './surveys.routes.js';
export { createFeedbackService, FEEDBACK_ANSWERED_TEMPLATE, type FeedbackService, type FeedbackDeps } from './feedback.service.js';
export { feedbackRoutes } from './feedback.routes.js';
export type * from './surveys.tables.js';
export type * from './feedback.tables.js';
export { createVisitsService, inSample, type VisitsService, type VisitsDeps } from './visits.service.js';
export { visitsRoutes } from './visits.routes.js';
export type * from './visits.tables.js';

export const serviceDeskMigrations = [serviceDeskRequests, ...satisfactionMigrations, serviceDeskBoardIndex];
/** Field-encrypted columns of this module, for `courtyard keys rotate-field`. */
export const serviceDeskEncryptedColumns: EncryptedColumns[] = [{ table: 'service_requests', key: 'id', columns: ['contact_phone_enc'] }];
export type * from './desk.tables.js';
export { createDeskConfigService, type DeskConfigService, type ConfigDeps } from './config.service.js';
export { createRequestsService, DESK_TEMPLATES, type RequestsService, type RequestsDeps } from './requests.service.js';
export { serviceDeskRoutes } from './desk.routes.js';
export { DEFAULT_CATEGORIES } from './desk.defaults.js';

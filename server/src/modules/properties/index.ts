import { propertiesCommunities } from './migrations/202611240200_properties_communities.js';
import { propertiesRegistry } from './migrations/202611250400_properties_registry.js';
export { createPropertiesService, type PropertiesService, type NewCommunity } from './properties.service.js';
export { propertiesRoutes } from './properties.routes.js';
export const propertiesMigrations = [propertiesCommunities, propertiesRegistry];

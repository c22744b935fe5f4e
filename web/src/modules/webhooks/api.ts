import type {
  CreatedWebhookEndpoint,
  CreateWebhookEndpointBody,
  Ok,
  UpdateWebhookEndpointBody,
  WebhookDelivery,
  WebhookDeliveryDetail,
  WebhookEndpoint,
  WebhookEventTypeList,
  WebhookSecret,
} from '@courtyard/contracts';
import { api } from '../../ui/api';
import type { KeysetPage } from '../../ui/DataTable';

const id = (value: string) => encodeURIComponent(value);

/** Query keys of this module; mutations invalidate by prefix. */
export const webhookKeys = {
  all: ['webhooks'] as const,
  endpoints: ['webhooks', 'endpoints'] as const,
  eventTypes: ['webhooks', 'event-types'] as const,
  deliveries: (endpointId: string) => ['webhooks', 'deliveries', endpointId] as const,
  delivery: (deliveryId: string) => ['webhooks', 'delivery', deliveryId] as const,
};

export const webhooksApi = {
  eventTypes: () => api.get<WebhookEventTypeList>('/api/webhooks/event-types'),
  /** The endpoint list is small and unpaginated; shaped as a keyset page for the DataTable. */
  list: async (signal?: AbortSignal): Promise<KeysetPage<WebhookEndpoint>> => ({
    items: (await api.get<{ items: WebhookEndpoint[] }>('/api/webhooks', undefined, { signal })).items,
    nextCursor: null,
  }),
  create: (body: CreateWebhookEndpointBody) => api.post<CreatedWebhookEndpoint>('/api/webhooks', body),
  update: (endpointId: string, body: UpdateWebhookEndpointBody) => api.patch<WebhookEndpoint>(`/api/webhooks/${id(endpointId)}`, body),
  disable: (endpointId: string) => api.post<WebhookEndpoint>(`/api/webhooks/${id(endpointId)}/disable`),
  enable: (endpointId: string) => api.post<WebhookEndpoint>(`/api/webhooks/${id(endpointId)}/enable`),
  remove: (endpointId: string) => api.delete<Ok>(`/api/webhooks/${id(endpointId)}`),
  /** The new secret is in this response only. */
  rotateSecret: (endpointId: string) => api.post<WebhookSecret>(`/api/webhooks/${id(endpointId)}/rotate-secret`),
  test: (endpointId: string) => api.post<WebhookDelivery>(`/api/webhooks/${id(endpointId)}/test`),
  deliveries: (endpointId: string, cursor: string | undefined, signal?: AbortSignal) =>
    api.get<KeysetPage<WebhookDelivery>>(`/api/webhooks/${id(endpointId)}/deliveries`, { cursor, limit: 20 }, { signal }),
  delivery: (deliveryId: string) => api.get<WebhookDeliveryDetail>(`/api/webhooks/deliveries/${id(deliveryId)}`),
  replay: (deliveryId: string) => api.post<WebhookDelivery>(`/api/webhooks/deliveries/${id(deliveryId)}/replay`),
};

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Feedback, FeedbackListQuery, FeedbackStats, SendFeedbackBody } from '@courtyard/contracts';
import { api } from '../../ui/api';
import type { KeysetPage } from '../../ui/DataTable';

export type FeedbackFilters = Omit<FeedbackListQuery, 'cursor' | 'limit'>;
const id = (value: string) => encodeURIComponent(value);

export const feedbackKeys = {
  all: ['feedback'] as const,
  list: (filters: FeedbackFilters) => ['feedback', 'list', filters] as const,
  mine: ['feedback', 'mine'] as const,
  stats: ['feedback', 'stats'] as const,
};

export const feedbackApi = {
  list: (filters: FeedbackFilters, cursor: string | undefined, signal?: AbortSignal) => api.get<KeysetPage<Feedback>>('/api/feedback', { ...filters, cursor, limit: 50 }, { signal }),
  mine: (cursor: string | undefined, signal?: AbortSignal) => api.get<KeysetPage<Feedback>>('/api/feedback/mine', { cursor, limit: 50 }, { signal }),
  stats: () => api.get<FeedbackStats>('/api/feedback/stats'),
  send: (body: SendFeedbackBody) => api.post<Feedback>('/api/feedback', body),
  triage: (feedbackId: string) => api.post<Feedback>(`/api/feedback/${id(feedbackId)}/triage`),
  answer: (feedbackId: string, response: string) => api.post<Feedback>(`/api/feedback/${id(feedbackId)}/answer`, { response }),
  close: (feedbackId: string) => api.post<Feedback>(`/api/feedback/${id(feedbackId)}/close`),
};

export function useFeedbackStats() {
  return useQuery({ queryKey: feedbackKeys.stats, queryFn: feedbackApi.stats });
}

export function useFeedbackMutations() {
  const client = useQueryClient();
  const onSuccess = () => client.invalidateQueries({ queryKey: feedbackKeys.all });
  return {
    send: useMutation({ mutationFn: feedbackApi.send, onSuccess }),
    triage: useMutation({ mutationFn: feedbackApi.triage, onSuccess }),
    answer: useMutation({ mutationFn: ({ feedbackId, response }: { feedbackId: string; response: string }) => feedbackApi.answer(feedbackId, response), onSuccess }),
    close: useMutation({ mutationFn: feedbackApi.close, onSuccess }),
  };
}

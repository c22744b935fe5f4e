import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CreateSurveyBody, MySurveyList, Ok, SubmitSurveyBody, Survey, SurveyListQuery, SurveyResults, SurveySummary, UpdateSurveyBody } from '@courtyard/contracts';
import { api } from '../../ui/api';
import type { KeysetPage } from '../../ui/DataTable';

export type SurveyFilters = Omit<SurveyListQuery, 'cursor' | 'limit'>;
const id = (value: string) => encodeURIComponent(value);

export const surveysKeys = {
  all: ['surveys'] as const,
  list: (filters: SurveyFilters) => ['surveys', 'list', filters] as const,
  one: (surveyId: string) => ['surveys', 'one', surveyId] as const,
  results: (surveyId: string) => ['surveys', 'results', surveyId] as const,
  mine: ['surveys', 'mine'] as const,
};

export const surveysApi = {
  list: (filters: SurveyFilters, cursor: string | undefined, signal?: AbortSignal) => api.get<KeysetPage<SurveySummary>>('/api/surveys', { ...filters, cursor, limit: 50 }, { signal }),
  get: (surveyId: string) => api.get<Survey>(`/api/surveys/${id(surveyId)}`),
  create: (body: CreateSurveyBody) => api.post<Survey>('/api/surveys', body),
  update: (surveyId: string, body: UpdateSurveyBody) => api.put<Survey>(`/api/surveys/${id(surveyId)}`, body),
  publish: (surveyId: string) => api.post<Survey>(`/api/surveys/${id(surveyId)}/publish`),
  close: (surveyId: string) => api.post<Survey>(`/api/surveys/${id(surveyId)}/close`),
  results: (surveyId: string) => api.get<SurveyResults>(`/api/surveys/${id(surveyId)}/results`),
  exportUrl: (surveyId: string) => `/api/surveys/${id(surveyId)}/export`,
  mine: () => api.get<MySurveyList>('/api/portal/surveys'),
  submit: (surveyId: string, body: SubmitSurveyBody) => api.post<Ok>(`/api/portal/surveys/${id(surveyId)}/responses`, body),
};

export function useSurvey(surveyId: string | undefined) {
  return useQuery({ queryKey: surveysKeys.one(surveyId ?? ''), queryFn: () => surveysApi.get(surveyId ?? ''), enabled: !!surveyId });
}
export function useSurveyResults(surveyId: string | undefined) {
  return useQuery({ queryKey: surveysKeys.results(surveyId ?? ''), queryFn: () => surveysApi.results(surveyId ?? ''), enabled: !!surveyId });
}
export function useMySurveys() {
  return useQuery({ queryKey: surveysKeys.mine, queryFn: surveysApi.mine });
}

export function useSurveyMutations() {
  const client = useQueryClient();
  const onSuccess = () => client.invalidateQueries({ queryKey: surveysKeys.all });
  return {
    create: useMutation({ mutationFn: surveysApi.create, onSuccess }),
    update: useMutation({ mutationFn: ({ surveyId, body }: { surveyId: string; body: UpdateSurveyBody }) => surveysApi.update(surveyId, body), onSuccess }),
    publish: useMutation({ mutationFn: surveysApi.publish, onSuccess }),
    close: useMutation({ mutationFn: surveysApi.close, onSuccess }),
    submit: useMutation({ mutationFn: ({ surveyId, body }: { surveyId: string; body: SubmitSurveyBody }) => surveysApi.submit(surveyId, body), onSuccess }),
  };
}

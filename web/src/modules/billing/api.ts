import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Bill, BillDetail, GatewayOrder, Payment, PortalBillList, PrepaidStatement, Receipt, SearchHit } from '@courtyard/contracts';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../ui/api';

export interface ReceiptListItem {
  id: string;
  number: string;
  amountCents: number;
  method: string;
  status: 'issued' | 'void';
  issuedAt: string;
  paymentId: string | null;
}
export type CounterMethod = 'cash' | 'bank_card' | 'bank_transfer';
export interface BillPage {
  items: Bill[];
  nextCursor: string | null;
}

export const billingKeys = {
  all: ['billing'] as const,
  roomBills: (roomId: string) => ['billing', 'room-bills', roomId] as const,
  bill: (id: string) => ['billing', 'bill', id] as const,
  prepaid: (subjectId: string) => ['billing', 'prepaid', subjectId] as const,
  receipt: (id: string) => ['billing', 'receipt', id] as const,
  search: (q: string) => ['billing', 'search', q] as const,
  portalBills: ['billing', 'portal', 'bills'] as const,
  portalPayments: ['billing', 'portal', 'payments'] as const,
  portalReceipts: ['billing', 'portal', 'receipts'] as const,
  portalReceipt: (id: string) => ['billing', 'portal', 'receipt', id] as const,
};

/**
 * Explanations come rendered in the request's language: refetch billing data when the UI
 * language changes (the cached answers are in the old one).
 */
export function useRefetchOnLanguageChange(): void {
  const { i18n } = useTranslation();
  const qc = useQueryClient();
  const language = i18n.language;
  const first = useRef(language);
  useEffect(() => {
    if (first.current === language) return;
    first.current = language;
    void qc.invalidateQueries({ queryKey: billingKeys.all });
  }, [language, qc]);
}

/** A fresh key per payment attempt; the caller keeps it for retries of the same attempt. */
export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}

export function useRoomSearch(q: string) {
  return useQuery({
    queryKey: billingKeys.search(q),
    queryFn: ({ signal }) => api.get<{ items: SearchHit[] }>('/api/search', { q }, { signal }),
    enabled: q.length >= 2,
    staleTime: 10_000,
  });
}

export function useRoomOpenBills(roomId: string | undefined) {
  return useQuery({
    queryKey: billingKeys.roomBills(roomId ?? ''),
    queryFn: ({ signal }) => api.get<BillPage>(`/api/rooms/${roomId}/bills`, { status: 'open', limit: 200 }, { signal }),
    enabled: !!roomId,
  });
}

export function usePrepaidBalance(subjectId: string | undefined) {
  return useQuery({
    queryKey: billingKeys.prepaid(subjectId ?? ''),
    queryFn: ({ signal }) => api.get<PrepaidStatement>('/api/prepaid/statement', { subjectId, limit: 1 }, { signal }),
    enabled: !!subjectId,
  });
}

export function useBill(id: string | undefined) {
  return useQuery({ queryKey: billingKeys.bill(id ?? ''), queryFn: ({ signal }) => api.get<BillDetail>(`/api/bills/${id}`, undefined, { signal }), enabled: !!id });
}

export function useReceipt(id: string | undefined) {
  return useQuery({ queryKey: billingKeys.receipt(id ?? ''), queryFn: ({ signal }) => api.get<Receipt>(`/api/receipts/${id}`, undefined, { signal }), enabled: !!id });
}

export interface CollectInput {
  key: string;
  body: { communityId: string; roomId: string; amountCents: number; method: CounterMethod; billIds?: string[]; payerName?: string; note?: string };
}

export function useCollectPayment() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ key, body }: CollectInput) => api.post<Payment>('/api/payments', body, { headers: { 'Idempotency-Key': key } }),
    onSuccess: () => qc.invalidateQueries({ queryKey: billingKeys.all }),
  });
}

// ---- owner portal
export function usePortalBills() {
  return useQuery({ queryKey: billingKeys.portalBills, queryFn: ({ signal }) => api.get<PortalBillList>('/api/portal/bills', undefined, { signal }) });
}
export function usePortalPayments() {
  return useQuery({ queryKey: billingKeys.portalPayments, queryFn: ({ signal }) => api.get<{ items: Payment[] }>('/api/portal/payments', undefined, { signal }) });
}
export function usePortalReceipts() {
  return useQuery({ queryKey: billingKeys.portalReceipts, queryFn: ({ signal }) => api.get<{ items: ReceiptListItem[] }>('/api/portal/receipts', undefined, { signal }) });
}
export function usePortalReceipt(id: string | undefined) {
  return useQuery({ queryKey: billingKeys.portalReceipt(id ?? ''), queryFn: ({ signal }) => api.get<Receipt>(`/api/portal/receipts/${id}`, undefined, { signal }), enabled: !!id });
}
export const portalApi = {
  createOrder: (key: string, body: { roomId?: string; parkingSpaceId?: string; billIds?: string[] }) => api.post<GatewayOrder>('/api/portal/payments', body, { headers: { 'Idempotency-Key': key } }),
  sandboxPay: (outTradeNo: string) => api.post<GatewayOrder>(`/api/payments/gateway/sandbox/${encodeURIComponent(outTradeNo)}/pay`),
};

/**
 * An online payment gateway (网上支付) as billing sees it. The shape is that of WeChat Pay (native /
 * JSAPI v3) and Alipay (page / precreate): we create an order with our own out-trade-number and
 * amount, the payer pays on the gateway's side, and the gateway tells us asynchronously through a
 * signed callback (notify_url) — possibly twice, possibly late, possibly after we asked it ourselves
 * with `queryOrder`. Settlement is therefore idempotent on the out-trade-number (payments.service).
 */
export interface CreateOrderRequest {
  outTradeNo: string;
  amountCents: number;
  /** Shown to the payer (WeChat `description`, Alipay `subject`). */
  description: string;
}

export interface CreatedOrder {
  outTradeNo: string;
  /** Where the payer pays: a QR-code URL (WeChat `code_url`), a page URL (Alipay), the sandbox page. */
  payUrl: string;
}

/** A verified statement from the gateway about one order. */
export interface GatewayNotice {
  outTradeNo: string;
  gatewayTradeNo: string | null;
  status: 'paid' | 'closed' | 'pending';
  amountCents: number;
  paidAt: string | null;
}

export interface RefundRequest {
  outTradeNo: string;
  refundNo: string;
  amountCents: number;
  totalCents: number;
}

export interface GatewayAdapter {
  /** Stored on gateway orders: 'sandbox', 'wechat', 'alipay'. */
  readonly name: string;
  createOrder(request: CreateOrderRequest): Promise<CreatedOrder>;
  /**
   * Checks the callback's signature over its raw body and decodes it; throws `GatewaySignatureError`
   * when it does not verify (the route answers 401 and nothing is applied).
   */
  verifyCallback(headers: Record<string, string | string[] | undefined>, rawBody: string): GatewayNotice;
  queryOrder(outTradeNo: string): Promise<GatewayNotice>;
  refund(request: RefundRequest): Promise<{ refundId: string }>;
}

export class GatewaySignatureError extends Error {}

import crypto from 'node:crypto';
import type { CreatedOrder, CreateOrderRequest, GatewayAdapter, GatewayNotice, RefundRequest } from './adapter.js';
import { GatewaySignatureError } from './adapter.js';

/** The header carrying the sandbox's signature: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`. */
export const SANDBOX_SIGNATURE_HEADER = 'x-sandbox-signature';

/** A signed callback as the gateway would POST it to `/api/payments/gateway/callback`. */
export interface SandboxCallback {
  headers: Record<string, string>;
  body: string;
}

export interface SandboxGateway extends GatewayAdapter {
  /** The payer pays (the demo "pay" page, or a test): returns the signed callback to deliver. */
  pay(outTradeNo: string, options?: { amountCents?: number }): SandboxCallback;
  /** Signs any body, for tests of forged or tampered callbacks. */
  sign(body: string, at?: Date): Record<string, string>;
}

/**
 * A gateway that lives in the process: it keeps orders in memory and signs its asynchronous
 * callbacks with HMAC-SHA256 under a secret it shares with the server, like WeChat Pay's
 * platform-certificate signatures or Alipay's RSA2 ones. Used by tests, the demo and the journeys.
 */
export function createSandboxGateway(options: { secret: Buffer; baseUrl?: string; now?: () => Date }): SandboxGateway {
  const orders = new Map<string, { amountCents: number; status: GatewayNotice['status']; tradeNo: string | null; paidAt: string | null }>();
  const now = options.now ?? (() => new Date());

  function sign(body: string, at = now()): Record<string, string> {
    const t = Math.floor(at.getTime() / 1000);
    const mac = crypto.createHmac('sha256', options.secret).update(`${t}.${body}`).digest('hex');
    return { 'content-type': 'application/json', [SANDBOX_SIGNATURE_HEADER]: `t=${t},v1=${mac}` };
  }

  return {
    name: 'sandbox',
    sign,
    createOrder(request: CreateOrderRequest): Promise<CreatedOrder> {
      orders.set(request.outTradeNo, { amountCents: request.amountCents, status: 'pending', tradeNo: null, paidAt: null });
      return Promise.resolve({ outTradeNo: request.outTradeNo, payUrl: `${options.baseUrl ?? ''}/api/payments/gateway/sandbox/${encodeURIComponent(request.outTradeNo)}/pay` });
    },
    pay(outTradeNo, payOptions = {}) {
      const order = orders.get(outTradeNo);
      const amountCents = payOptions.amountCents ?? order?.amountCents ?? 0;
      const paidAt = now().toISOString();
      const tradeNo = order?.tradeNo ?? `SBX${crypto.randomBytes(8).toString('hex').toUpperCase()}`;
      if (order) Object.assign(order, { status: 'paid', tradeNo, paidAt });
      const body = JSON.stringify({ outTradeNo, gatewayTradeNo: tradeNo, status: 'paid', amountCents, paidAt });
      return { headers: sign(body), body };
    },
    verifyCallback(headers, rawBody) {
      const raw = headers[SANDBOX_SIGNATURE_HEADER];
      const header = Array.isArray(raw) ? raw[0] : raw;
      const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header ?? '');
      if (!match) throw new GatewaySignatureError('missing or malformed signature');
      const expected = crypto.createHmac('sha256', options.secret).update(`${match[1]}.${rawBody}`).digest();
      const given = Buffer.from(match[2]!, 'hex');
      if (!crypto.timingSafeEqual(expected, given)) throw new GatewaySignatureError('signature does not verify');
      let parsed: unknown;
      try {
        parsed = JSON.parse(rawBody);
      } catch {
        throw new GatewaySignatureError('body is not JSON');
      }
      const n = parsed as Partial<GatewayNotice>;
      if (typeof n.outTradeNo !== 'string' || typeof n.amountCents !== 'number' || !Number.isSafeInteger(n.amountCents) || (n.status !== 'paid' && n.status !== 'closed')) {
        throw new GatewaySignatureError('body is not a gateway notice');
      }
      return { outTradeNo: n.outTradeNo, gatewayTradeNo: typeof n.gatewayTradeNo === 'string' ? n.gatewayTradeNo : null, status: n.status, amountCents: n.amountCents, paidAt: typeof n.paidAt === 'string' ? n.paidAt : null };
    },
    queryOrder(outTradeNo) {
      const order = orders.get(outTradeNo);
      return Promise.resolve({ outTradeNo, gatewayTradeNo: order?.tradeNo ?? null, status: order?.status ?? 'closed', amountCents: order?.amountCents ?? 0, paidAt: order?.paidAt ?? null });
    },
    refund(request: RefundRequest) {
      return Promise.resolve({ refundId: `SBXR-${request.refundNo}` });
    },
  };
}

import type { Receipt } from '@courtyard/contracts';
import type { Kysely } from 'kysely';
import type { Database } from '../../core/db/schema.js';
import type { RequestContext } from '../../core/http/context.js';
import type { SettingsService } from '../settings/index.js';
import type { UsersService } from '../identity/index.js';
import { locateFont } from './documents/font.js';
import type { Paper } from './documents/pdf.js';
import { renderReceipt, type ReceiptPrint } from './documents/receipt-layout.js';
import type { PaymentsService } from './payments.service.js';
import type { PortalBillingService } from './portal.service.js';

export interface ReceiptsPdfDeps {
  db: Kysely<Database>;
  settings: SettingsService;
  users: UsersService;
  payments: PaymentsService;
  portal: PortalBillingService;
  /** `COURTYARD_PDF_FONT` (path, or `path#PostScriptName` in a collection); system fonts when unset. */
  fontPath?: string;
}

export interface ReceiptsPdf {
  /** Staff: whoever may read the receipt's payment (`billing.payment.read` in its community). */
  render(ctx: RequestContext, receiptId: string, paper: Paper): Promise<{ number: string; pdf: Buffer }>;
  /** Owners in the portal: only receipts of the rooms they live in (404 otherwise). */
  renderOwn(ctx: RequestContext, receiptId: string, paper: Paper): Promise<{ number: string; pdf: Buffer }>;
}

/**
 * Receipt PDFs (收据打印). Rendered on demand and deterministically from the receipt row (decision
 * 0021): the row is immutable apart from its void marking, the rendering date is the receipt's own,
 * so the archive is the receipts table itself and every print of a receipt is the same document.
 */
export function createReceiptsPdf(deps: ReceiptsPdfDeps): ReceiptsPdf {
  const { db, settings, users, payments, portal } = deps;

  async function printOf(r: Receipt): Promise<ReceiptPrint> {
    const [profile, cashier, original] = await Promise.all([
      settings.get('organisation.profile'),
      users.contactsOf(db, [r.issuedBy].filter((id) => /^[0-9a-f-]{36}$/i.test(id))),
      r.reissueOf ? db.selectFrom('receipts').select('number').where('id', '=', r.reissueOf).executeTakeFirst() : Promise.resolve(undefined),
    ]);
    const lines = r.lines.map((l) => ({ feeItemName: l.feeItemName, periodLabel: l.periodLabel, amountCents: l.amountCents }));
    // What the money did not settle is a deposit (押金) or stays prepaid (预存款).
    if (r.depositId) lines.push({ feeItemName: '押金', periodLabel: '—', amountCents: r.amountCents });
    else if (r.prepaidCents > 0) lines.push({ feeItemName: '预存款', periodLabel: '—', amountCents: r.prepaidCents });
    return {
      companyName: profile.name,
      companyAddress: profile.address,
      companyPhone: profile.phone,
      communityName: r.communityName,
      number: r.number,
      issuedAt: r.issuedAt,
      payerName: r.payerName,
      subjectLabel: r.subjectLabel,
      lines,
      totalCents: r.amountCents,
      method: r.method,
      cashierName: cashier[0]?.displayName ?? r.issuedBy,
      status: r.status,
      voidedAt: r.voidedAt,
      voidReason: r.voidReason,
      reissueOfNumber: original?.number ?? null,
    };
  }

  async function render(load: () => Promise<Receipt>, paper: Paper) {
    // The font is looked for first: without one nothing else is worth reading.
    const font = locateFont(deps.fontPath);
    const r = await load();
    return { number: r.number, pdf: await renderReceipt(font, paper, await printOf(r)) };
  }

  return {
    render: (ctx, receiptId, paper) => render(() => payments.receipt(ctx, receiptId), paper),
    renderOwn: (ctx, receiptId, paper) => render(() => portal.receipt(ctx, receiptId), paper),
  };
}

import type { StateTxn } from './state-txn';
import { isEnded } from './stream-record';

/**
 * Appends a CRM report to the object's stream record inside the intake's transaction:
 * the status messages not yet recorded for this operation, the reported state (for the
 * waiter's timeout message), and `infoEom` when the CRM reached a final state. A record
 * whose operation has ended is left alone.
 */
export async function recordReport(
  tx: StateTxn,
  typeName: string,
  keyJson: string,
  report: { msgs: readonly string[]; state: number; final: boolean },
): Promise<void> {
  const rec = await tx.getRecord(typeName, keyJson);
  if (!rec || isEnded(rec)) return;
  // A shorter list than recorded means the CRM started over (a new operation on its side).
  const from = report.msgs.length < rec.crmMsgs ? 0 : rec.crmMsgs;
  const entries = [
    ...rec.entries,
    ...report.msgs.slice(from).map((msg) => ({ msg })),
    ...(report.final ? [{ infoEom: true as const }] : []),
  ];
  tx.putRecord(typeName, keyJson, { ...rec, entries, crmMsgs: report.msgs.length, crmState: report.state });
}

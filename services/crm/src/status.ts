import { create } from '@bufbuild/protobuf';
import { edgeproto } from '@edge/proto';

/** `CREATE_ERROR` → `CreateError` (the original's TrackedState_CamelName, used as task names). */
export function trackedStateCamel(s: edgeproto.TrackedState): string {
  const name = edgeproto.TrackedStateSchema.values.find((v) => v.number === s)?.name ?? String(s);
  return name
    .toLowerCase()
    .split('_')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
}

/** A fresh StatusInfo (the original's StatusReset). */
export function resetStatus(): edgeproto.StatusInfo {
  return create(edgeproto.StatusInfoSchema);
}

/** The one-line form of a status (the original's StatusInfo.ToString). */
function statusLine(s: edgeproto.StatusInfo): string {
  if (s.taskNumber === 0) return '';
  let line = s.taskName;
  if (s.maxTasks > 0) line += `(${s.taskNumber} of ${s.maxTasks})`;
  if (s.stepName !== '') line += `, ${s.stepName}`;
  return line;
}

/**
 * Starts a numbered task (the original's SetTask): a new task name bumps the task number,
 * clears the step and appends the status line to `msgs`; the same name again is ignored.
 */
export function setTask(s: edgeproto.StatusInfo, task: string): void {
  if (task === '' || s.taskName === task) return;
  s.taskNumber++;
  s.taskName = task;
  s.stepName = '';
  s.msgCount++;
  s.msgs.push(statusLine(s));
}

/** Refines the current task (the original's SetStep) and appends the status line. */
export function setStep(s: edgeproto.StatusInfo, step: string): void {
  s.stepName = step;
  s.msgCount++;
  s.msgs.push(statusLine(s));
}

import { edgeproto } from '@edge/proto';
import { resetStatus, setStep, setTask, trackedStateCamel } from './status';

describe('StatusInfo as the original keeps it', () => {
  it('numbers tasks, appends one message per task or step, ignores a repeated task', () => {
    const s = resetStatus();
    setTask(s, 'Creating');
    setTask(s, 'Creating');
    setTask(s, 'Creating App Inst');
    setStep(s, 'Waiting for port 80');
    setTask(s, 'Ready');
    expect(s.msgs).toEqual([
      'Creating',
      'Creating App Inst',
      'Creating App Inst, Waiting for port 80',
      'Ready',
    ]);
    expect(s.taskNumber).toBe(3);
    expect(s.msgCount).toBe(4);
    s.maxTasks = 5;
    setStep(s, 'almost');
    expect(s.msgs.at(-1)).toBe('Ready(3 of 5), almost');
  });

  it('names states in CamelCase', () => {
    expect(trackedStateCamel(edgeproto.TrackedState.CREATE_ERROR)).toBe('CreateError');
    expect(trackedStateCamel(edgeproto.TrackedState.DELETE_DONE)).toBe('DeleteDone');
    expect(trackedStateCamel(edgeproto.TrackedState.READY)).toBe('Ready');
  });
});

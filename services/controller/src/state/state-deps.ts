import type { ApiDeps } from '../api/rules';

/** What the TrackedState machine needs of the Controller (ApiDeps without the late-bound `tracked`). */
export type StateDeps = Omit<ApiDeps, 'tracked'>;

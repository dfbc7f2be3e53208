// The generated DME messages, imported from the generated code directly: the package root of
// `@edge/proto` also loads its Node-only binary codec, which browsers must not need.
import * as dme from '@edge/proto/src/gen/dme';
import * as googleApi from '@edge/proto/src/gen/google/api';

export { dme, googleApi };

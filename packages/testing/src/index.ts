export {
  TEST_SERVER_ENV,
  describeWithServers,
  missingTestServerEnv,
  testServers,
  uniqueName,
  type TestServers,
} from './test-env';
export {
  hasAlert,
  startAlertWebhook,
  type AlertWebhook,
  type WebhookAlert,
  type WebhookPayload,
} from './alert-webhook';
export { waitFor } from './wait';
export { rejection } from './rejection';

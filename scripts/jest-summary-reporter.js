/**
 * Jest reporter printing the closing `N passed, N failed, N skipped` line CI reads.
 * A suite that fails to load counts as one failed test, so it can't pass silently.
 */
class SummaryReporter {
  onRunComplete(_contexts, r) {
    const failed = r.numFailedTests + r.numRuntimeErrorTestSuites;
    const skipped = r.numPendingTests + r.numTodoTests;
    process.stdout.write(`\n${r.numPassedTests} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
module.exports = SummaryReporter;

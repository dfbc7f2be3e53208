// A stand-in for a CRM or Shepherd in tests: records its arguments next to its log and runs until killed.
const { writeFileSync } = require('node:fs');
const [service, file] = process.argv.slice(2, 4);
writeFileSync(file, JSON.stringify({ service, pid: process.pid, args: process.argv.slice(4) }) + '\n', {
  flag: 'a',
});
setInterval(() => {}, 1 << 30);

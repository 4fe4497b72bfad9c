const {Fhir} = require('fhir');
const fs = require('fs');
const fhir = new Fhir();
const out = [];
for (const file of process.argv.slice(2)) {
  const resource = JSON.parse(fs.readFileSync(file, 'utf8'));
  const result = fhir.validate(resource, {errorOnUnexpected: true});
  out.push({file, valid: result.valid, messages: result.messages.filter(m => m.severity === 'error').map(m => ({location: m.location, message: m.message}))});
}
process.stdout.write(JSON.stringify(out));

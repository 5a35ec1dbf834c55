import { importBundle } from './importers/index.ts';
import { rightsize } from './server/analysis/unused-access/index.ts';
const r = await importBundle(['examples/demo']);
const t0 = Date.now();
const x = await rightsize(r.snapshot!);
console.log(Date.now() - t0, 'ms');
for (const p of x.usage.principals) console.log(p.name, p.activity, p.keys.map(k=>k.detail), p.services.map(s=>`${s.service}:${s.status}`).join(' ').slice(0,200), p.sources.map(s=>`${s.name}:${s.status}`), p.notes.slice(0,2));
for (const g of x.usage.groups) console.log('G', g.name, g.status, g.services.map(s=>`${s.service}:${s.status}`).join(' ').slice(0,200));
for (const p of x.proposals) console.log('P', p.target.name, p.reasons, p.changes.map(c=>c.op), JSON.stringify({...p.proof, removed: p.proof?.removed.map(r=>[r.principal, r.revoked])}).slice(0,600));

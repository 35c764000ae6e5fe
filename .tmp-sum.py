import json,sys,glob,collections
f=sorted(glob.glob('/tmp/prof/*.cpuprofile'))[-1]
p=json.load(open(f))
nodes={n['id']:n for n in p['nodes']}
self=collections.Counter()
dt=p['timeDeltas']; samples=p['samples']
for s,d in zip(samples,dt):
  n=nodes[s]; cf=n['callFrame']; self[(cf['functionName'],cf['url'].split('/')[-1],cf['lineNumber'])]+=d
tot=sum(self.values())
for k,v in self.most_common(15): print(f"{v/tot*100:5.1f}% {k}")

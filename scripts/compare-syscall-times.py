#!/usr/bin/env python3
# Per-syscall durations: renacer --source -f -T against strace -f -T on the same
# program, 5 runs each (issue 18). Usage: python3 scripts/compare-syscall-times.py PROGRAM [ARGS…]
import re,subprocess,statistics,collections,sys
def run(cmd):
    r=subprocess.run(cmd,capture_output=True,text=True,cwd=__import__('tempfile').gettempdir())
    d=collections.defaultdict(list)
    for l in r.stderr.splitlines():
        # A whole call, or the end of one another task's line interrupted (`<... wait4 resumed>`).
        m=re.match(r'^(?:\[pid\s+\d+\] |\d+ )?(?:<\.\.\. )?(\w+)(?:\(| resumed>).*<(\d+\.\d+)>',l)
        if m: d[m.group(1)].append(float(m.group(2))*1e6)
    return d
prog=sys.argv[1:]
S=collections.defaultdict(list);R=collections.defaultdict(list)
for i in range(5):
    for k,v in run(['strace','-f','-T','--']+prog).items(): S[k]+=v
    for k,v in run(['node',__import__('os').path.join(__import__('os').path.dirname(__import__('os').path.abspath(__file__)),'..','bin','renacer.js'),'--no-trace-file','--source','-f','-T','--']+prog).items(): R[k]+=v
bad=0
for k in sorted(S):
    if k not in R: continue
    ms,mr=statistics.median(S[k]),statistics.median(R[k])
    ok_med = mr <= max(1.5*ms, ms+10)
    ok_max = max(R[k]) <= max(3*max(S[k]), max(S[k])+200)
    if not (ok_med and ok_max): bad+=1
    print(f"{k:16} n={len(R[k]):4} median strace {ms:8.1f} renacer {mr:8.1f}  max strace {max(S[k]):8.1f} renacer {max(R[k]):8.1f} {'ok' if ok_med and ok_max else 'FAIL'}")
print('syscalls outside the bounds:',bad)

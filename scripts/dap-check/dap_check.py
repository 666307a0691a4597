# A DAP client written without any DAP library (no test uses it), driving
# `renacer dap` through issue 12's "Done means" on threaded_opens.c (-O2 -g).
#   python3 scripts/dap-check/dap_check.py
import json, os, subprocess, sys, tempfile, threading, queue, time
HERE = os.path.dirname(os.path.abspath(__file__))
R = os.path.join(HERE, '..', '..', 'bin', 'renacer.js')
SRC = os.path.join(HERE, 'threaded_opens.c')
WORK = tempfile.mkdtemp(prefix='renacer-dap-check-')
PROG = os.path.join(WORK, 'threaded_opens')
subprocess.check_call(['gcc', '-O2', '-g', '-o', PROG, SRC, '-lpthread'])
def line(tag): return next(i+1 for i,l in enumerate(open(SRC)) if tag in l)
class C:
    def __init__(s):
        s.p = subprocess.Popen(['node', R, 'dap'], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        s.seq = 0; s.ev = queue.Queue(); s.resp = {}; s.out = []
        threading.Thread(target=s.read, daemon=True).start()
    def read(s):
        f = s.p.stdout
        while True:
            h = f.readline()
            if not h: return
            n = int(h.split(b':')[1]); f.readline(); m = json.loads(f.read(n))
            if m['type'] == 'response': s.resp[m['request_seq']] = m
            elif m['type'] == 'event':
                if m['event'] == 'output': s.out.append(m['body'])
                else: s.ev.put(m)
    def req(s, cmd, args=None, wait=True):
        s.seq += 1; m = {'seq': s.seq, 'type': 'request', 'command': cmd, 'arguments': args or {}}
        b = json.dumps(m).encode(); s.p.stdin.write(b'Content-Length: %d\r\n\r\n' % len(b) + b); s.p.stdin.flush()
        if not wait: return s.seq
        k = s.seq; t = time.time()
        while k not in s.resp:
            if time.time() - t > 20: raise Exception('timeout ' + cmd)
            time.sleep(0.005)
        return s.resp[k]
    def event(s, names, timeout=20):
        t = time.time()
        while True:
            e = s.ev.get(timeout=max(0.01, timeout - (time.time() - t)))
            if e['event'] in names: return e
def session(args, bps=None, fbps=None, exc=None):
    c = C(); c.req('initialize', {'adapterID': 'renacer', 'linesStartAt1': True, 'columnsStartAt1': True, 'pathFormat': 'path'})
    k = c.req('launch', {'program': PROG, 'args': args, 'cwd': WORK}, wait=False)
    c.event(['initialized'])
    r = {}
    if bps is not None: r['bps'] = c.req('setBreakpoints', {'source': {'path': SRC}, 'breakpoints': bps})['body']['breakpoints']
    if fbps is not None: r['fbps'] = c.req('setFunctionBreakpoints', {'breakpoints': fbps})['body']['breakpoints']
    if exc is not None: c.req('setExceptionBreakpoints', exc)
    c.req('configurationDone')
    while k not in c.resp: time.sleep(0.01)
    return c, r
def frames(c, tid): return c.req('stackTrace', {'threadId': tid})['body']['stackFrames']
def vars_(c, fid):
    sc = c.req('scopes', {'frameId': fid})['body']['scopes'][0]
    return sc, {v['name']: v['value'] for v in c.req('variables', {'variablesReference': sc['variablesReference']})['body']['variables']}
def run_to_end(c, on=None):
    n = 0
    while True:
        e = c.event(['stopped', 'terminated'])
        if e['event'] == 'terminated': return n
        n += 1
        if on: on(e)
        c.req('continue', {'threadId': e['body']['threadId']})
res = {}
c, r = session([], bps=[{'line': line('LINE_OPEN')}])
caps = None
stops = []
def on(e):
    f = frames(c, e['body']['threadId']); sc, v = vars_(c, f[0]['id'])
    stops.append((e['body']['reason'], f[0]['name'], f[0]['line'], [x['name'] for x in f if x.get('source')], v.get('path')))
res['line'] = (r['bps'][0]['verified'], run_to_end(c, on), stops[:2])
c, r = session([], fbps=[{'name': 'read'}]); s2 = []
res['read'] = run_to_end(c, lambda e: s2.append((e['body']['reason'], frames(c, e['body']['threadId'])[0]['line'])))
res['read_stops'] = s2
c, r = session([], exc={'filters': [], 'filterOptions': [{'filterId': 'failed', 'condition': 'ENOENT'}]}); s3 = []
res['failed'] = run_to_end(c, lambda e: s3.append((e['body']['reason'], vars_(c, frames(c, e['body']['threadId'])[0]['id'])[1].get('errno'), vars_(c, frames(c, e['body']['threadId'])[0]['id'])[1].get('path'))))
res['failed_stops'] = s3
c, r = session([], bps=[{'line': line('LINE_OPEN'), 'hitCondition': '3'}]); res['hit3'] = run_to_end(c)
c, r = session([], bps=[{'line': line('LINE_OPEN'), 'condition': 'path:/etc/passwd'}]); s4 = []
res['cond'] = run_to_end(c, lambda e: s4.append(vars_(c, frames(c, e['body']['threadId'])[0]['id'])[1].get('path'))); res['cond_paths'] = s4
c, r = session([], bps=[{'line': line('LINE_OPEN'), 'logMessage': 'LOG {path}'}]); res['log_stops'] = run_to_end(c)
res['log_lines'] = sum(o['output'].count('LOG /etc/') for o in c.out)
# step over + inject
c, r = session([], bps=[{'line': line('LINE_OPEN')}])
e = c.event(['stopped']); tid = e['body']['threadId']
c.req('next', {'threadId': tid}); e = c.event(['stopped']); sc, v = vars_(c, frames(c, tid)[0]['id'])
res['step'] = (e['body']['reason'], v.get('stopped at'), v.get('result'))
c.req('continue', {'threadId': tid}); e = c.event(['stopped']); sc, v = vars_(c, frames(c, e['body']['threadId'])[0]['id'])
res['set'] = c.req('setVariable', {'variablesReference': sc['variablesReference'], 'name': 'errno', 'value': 'ENOENT'})['body']
c.req('setBreakpoints', {'source': {'path': SRC}, 'breakpoints': []})
c.req('continue', {'threadId': tid}); run_to_end(c)
res['injected_seen'] = any('load 1 -> No such file or directory' in o['output'] for o in c.out)
# pause
c, r = session(['30'])
time.sleep(1.0)
c.req('pause', {'threadId': 0}); e = c.event(['stopped'])
th = c.req('threads')['body']['threads']
stacks = {t['name']: [f['name'] for f in frames(c, t['id'])] for t in th}
res['pause'] = (e['body']['reason'], len(th), stacks)
c.req('continue', {'threadId': e['body']['threadId']}); c.req('terminate'); c.event(['terminated'])
for k, v in res.items(): print(k, v)

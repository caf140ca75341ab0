/**
 * The python3 side of the property tests: a batch runner that replays a suite's
 * cases in one `python3` process, after a shared prelude that builds each
 * description's Python twin (`_parity.ts`) and records each call's outcome as the
 * JS side does.
 *
 * @module
 */
import { pythonJson } from "../_kit/python.ts";

/**
 * Runs `cases` through `script` (which defines `run(case, env)`, after the
 * shared prelude) in one python3 process and returns one outcome list per case.
 */
export function runPython(script: string, cases: unknown[]): unknown[] {
  return pythonJson<unknown[]>(PRELUDE + script + MAIN, [], JSON.stringify(cases));
}

const PRELUDE = `
import json, os, select, sys

# Grow the fd table past 1023, as growFdTable() does on the JS side.
_null = os.open(os.devnull, os.O_RDONLY)
os.dup2(_null, 1023)
os.close(1023)
os.close(_null)
for _fd in range(1000, 1024):
    try:
        os.fstat(_fd)
        raise SystemExit("fd %d is open" % _fd)
    except OSError:
        pass

def place_fd(fd, target):
    """Moves fd onto target (which must be free here), the number the JS side has."""
    if fd != target:
        try:
            os.fstat(target)
            raise SystemExit("fd %d is in use in python3" % target)
        except OSError:
            pass
        os.dup2(fd, target)
        os.close(fd)
    return target

class Boom(Exception):
    pass

class FileObj:
    def __init__(self, fileno):
        self.fileno = fileno
    def __repr__(self):
        return "FileObj(%s)" % self.label

_named = {}
def named(name):
    if name not in _named:
        _named[name] = type(name, (), {})
    return _named[name]()

OMIT = object()

class Env:
    def __init__(self, fds):
        self.fds = fds
        self.objects = []
    def fd(self, n):
        for name, fd in self.fds.items():
            if fd == n and type(n) is int:
                return name
        return n
    def item(self, x):
        for i, o in enumerate(self.objects):
            if o is x:
                return "o%d" % i
        return self.fd(x)

def conv(d, env):
    t = d["t"]
    if t == "int": return int(d["v"])
    if t == "float": return float(d["v"])
    if t == "str": return d["v"]
    if t == "none": return None
    if t == "omit": return OMIT
    if t == "named": return named(d["v"])
    if t == "list": return [conv(x, env) for x in d["items"]]
    if t == "fd": return env.fds[d["name"]]
    if t == "bytes": return bytes(d["v"])
    if t == "bool": return d["v"]
    if t == "dict": return {}
    if t == "fileno":
        ret = conv(d["ret"], env)
        o = FileObj(lambda: ret)
    elif t == "throws":
        def boom():
            raise Boom("boom")
        o = FileObj(boom)
    elif t == "attr":
        o = FileObj(conv(d["v"], env))
    elif t == "bare":
        o = FileObj(None)
        del o.fileno
    else:
        raise AssertionError(t)
    o.label = "o%d" % len(env.objects)
    env.objects.append(o)
    return o

def call(f, *args):
    while args and args[-1] is OMIT:
        args = args[:-1]
    return f(*args)

NAMES = {"OverflowError": "RangeError"}
def outcome(thunk, label):
    try:
        return {"ok": label(thunk())}
    except Exception as e:
        name = type(e).__name__
        msg = str(e.args[0]) if isinstance(e, KeyError) else str(e)
        return {"err": NAMES.get(name, name), "msg": msg.replace("_PyTime_t", "PyTime_t")}
`;

const MAIN = `
cases = json.load(sys.stdin)
json.dump([run(c) for c in cases], sys.stdout)
`;

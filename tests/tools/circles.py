#!/usr/bin/env python3
"""No circles between files: read the symbols of every object file the build made for app/
(nm -P), draw an edge A -> B when A.c uses a function or variable that B.c defines, and fail
when a group of files reach each other (a strongly connected component of two or more files).

    circles.py BUILD_DIR SOURCE_DIR [--list]
exit 1 and print each circle; --list also prints the edges. Objects whose source file no longer
exists (left in the build folder by a rename) are not read.
"""
import os
import subprocess
import sys


def objects(build, source):
    """(object file, source path relative to the tree) of every object made from app/."""
    for root, _dirs, files in os.walk(build):
        rel = os.path.relpath(root, build).replace(os.sep, "/")
        if not rel.startswith("app") or "/CMakeFiles/" not in rel + "/":
            continue
        # app/store/CMakeFiles/bangtin_store.dir[/sub] -> app/store[/sub]
        folder, _, rest = rel.partition("/CMakeFiles/")
        sub = rest.split("/", 1)[1] if "/" in rest else ""
        for f in files:
            if not f.endswith(".c.o"):
                continue
            src = "/".join(p for p in (folder, sub, f[:-2]) if p)
            if os.path.exists(os.path.join(source, src)):
                yield os.path.join(root, f), src


def main():
    if len(sys.argv) < 3:
        print(__doc__)
        return 2
    build, source = sys.argv[1], sys.argv[2]
    defined, used = {}, {}
    names = {}
    for obj, name in sorted(objects(build, source)):
        out = subprocess.run(["nm", "-P", obj], capture_output=True, text=True, check=True).stdout
        d, u = set(), set()
        for line in out.splitlines():
            f = line.split()
            if len(f) < 2:
                continue
            sym, kind = f[0], f[1]
            if kind == "U":
                u.add(sym)
            elif kind in "TDBRC" or kind in "VW":
                d.add(sym)
        names[obj] = name
        defined[name], used[name] = d, u
    if not defined:
        print(f"circles: no object files for app/ under {build}", file=sys.stderr)
        return 2
    owner = {}
    for name, syms in defined.items():
        for s in syms:
            owner.setdefault(s, name)
    edges = {n: set() for n in defined}
    for name, syms in used.items():
        for s in syms:
            o = owner.get(s)
            if o and o != name:
                edges[name].add(o)
    if "--list" in sys.argv:
        for a in sorted(edges):
            for b in sorted(edges[a]):
                print(f"{a} -> {b}")
    # Tarjan's strongly connected components.
    index, low, stack, on, comps = {}, {}, [], set(), []
    counter = [0]

    def strong(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in edges[v]:
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                comps.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(edges):
        if v not in index:
            strong(v)
    # The same between folders (modules): app/kiosk may call app/glue, never the reverse.
    folder_edges = {}
    for a, bs in edges.items():
        fa = os.path.dirname(a)
        folder_edges.setdefault(fa, set())
        for b in bs:
            fb = os.path.dirname(b)
            if fb != fa:
                folder_edges[fa].add(fb)
                folder_edges.setdefault(fb, set())
    file_edges = edges
    edges = folder_edges
    index.clear(), low.clear()
    for v in sorted(edges):
        if v not in index:
            strong(v)
    edges = file_edges
    n_edges = sum(len(e) for e in edges.values())
    if comps:
        for c in comps:
            pairs = [f"{a} -> {b}" for a in c for b in sorted(edges.get(a, folder_edges.get(a, ()))) if b in c]
            print("circle: " + ", ".join(c))
            for p in pairs:
                print("    " + p)
        print(f"circles: {len(comps)} circles among {len(defined)} files ({n_edges} edges)")
        return 1
    print(f"circles: none among {len(defined)} files ({n_edges} edges) and "
          f"{len(folder_edges)} folders")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""The size of each async function's frame in a Swift binary, largest first.

    Benchmarks/async-frames.py [BINARY] [--match TEXT] [--top N]

Every suspended request keeps the frames of the async functions it is in, allocated from its task
(`swift_task_alloc`), and a task keeps the slabs it grew for as long as it lives: for a keep-alive
connection, as long as the connection. So the frames on a request's path are a floor under the
daemon's memory per connection, and this is where to read them. Swift records each async
function's frame size beside it, in its "async function pointer" (a symbol ending in `Tu`: a 32-bit
relative offset to the function, then the 32-bit size); this script reads those from the binary's
symbol table (`nm`) and sections (`readelf`), demangles the names (`swift demangle`), and prints
size and name. The figures are exact and the same on every machine: compare them between builds
(default binary: .build/release/switchboard).
"""

import argparse
import os
import struct
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def async_frame_sizes(binary):
    """(frame size in bytes, mangled name) of every async function the binary defines."""
    symbols = []
    for line in subprocess.run(["nm", "--defined-only", binary], capture_output=True, text=True, check=True).stdout.splitlines():
        fields = line.split()
        if len(fields) == 3 and fields[2].endswith("Tu"):
            symbols.append((int(fields[0], 16), fields[2]))
    sections = []
    for line in subprocess.run(["readelf", "-SW", binary], capture_output=True, text=True, check=True).stdout.splitlines():
        fields = line.replace("[ ", "[").split()
        if len(fields) > 5 and fields[0].startswith("[") and fields[0] != "[Nr]":
            try:
                address, offset, size = int(fields[3], 16), int(fields[4], 16), int(fields[5], 16)
            except ValueError:
                continue
            if address:
                sections.append((address, offset, size))
    with open(binary, "rb") as file:
        data = file.read()
    sizes = []
    for address, name in symbols:
        for start, offset, size in sections:
            if start <= address < start + size:
                position = offset + address - start
                _, frame = struct.unpack("<iI", data[position:position + 8])
                sizes.append((frame, name))
                break
    return sorted(sizes, reverse=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("binary", nargs="?", default=os.path.join(ROOT, ".build", "release", "switchboard"))
    parser.add_argument("--match", help="only functions whose demangled name contains this text")
    parser.add_argument("--top", type=int, default=40, help="how many to print (default 40)")
    arguments = parser.parse_args()
    sizes = async_frame_sizes(arguments.binary)
    names = subprocess.run(["swift", "demangle", "--simplified"], input="\n".join(name for _, name in sizes),
                           capture_output=True, text=True, check=True).stdout.splitlines()
    prefix = "async function pointer to "
    shown = 0
    for (frame, _), name in zip(sizes, names):
        name = name.removeprefix(prefix)
        if arguments.match and arguments.match not in name:
            continue
        print(f"{frame:>7}  {name}")
        shown += 1
        if shown == arguments.top:
            break


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""When the slow phase's slowest answers were asked for: the daemon against the 200 ms fake provider
with 1,024 client connections, as `run.py --phases slow` runs it, each request timed on its own
(wrk/timed.lua), and the latencies given by when their requests were written, half a second at a
time.

    Benchmarks/slow-timeline.py [--switchboard BIN] [--bench BIN] [--duration 10] [--no-settle]

As in run.py, 3 s from cold open the provider connections first; the load then starts once what
those 3 s left in flight has been answered, or at once with `--no-settle` (as run.py did before
2026-12-07). Figures hold only for the machine and the run they come from."""
import argparse
import glob
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run  # noqa: E402

SLOT_S = 0.5


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--switchboard", help="the daemon's binary (default: build it, scripts/build-release)")
    parser.add_argument("--bench", help="switchboard-bench's binary (default: build it)")
    parser.add_argument("--duration", type=int, default=10, help="seconds of load after the start (default 10)")
    parser.add_argument("--connections", type=int, default=1024, help="wrk connections (default 1024)")
    parser.add_argument("--delay", type=int, default=200, help="the fake provider's answer delay in ms (default 200)")
    parser.add_argument("--over", type=float, default=300, help="latency counted as slow, in ms (default 300)")
    parser.add_argument("--no-settle", action="store_true", help="start the load as soon as the 3 s from cold end")
    parser.add_argument("--keep", action="store_true", help="keep the run's directory (logs, answers, the daemon's database)")
    arguments = parser.parse_args()

    run.allow_open_files()
    run.ensure_tools({"slow"})
    binary, bench_binary = run.binaries(arguments.switchboard, arguments.bench, ".build")

    with run.working_directory("switchboard-timeline-", arguments.keep) as workdir:
        config = run.write_config(workdir, "twilio")
        started = [run.start_fake_provider(bench_binary, workdir, run.SLOW_PORT, arguments.delay)]
        try:
            started.append(run.start_daemon(binary, config, workdir))
            url = f"http://127.0.0.1:{run.DAEMON_PORT}/v1/messages"
            run.run_wrk(url, os.path.join(run.BENCHMARKS, "wrk", "switchboard.lua"), run.SLOW_START_S, arguments.connections,
                        ("slow", run.API_KEY))
            if not arguments.no_settle:
                run.settled(lambda: run.fake_count(run.SLOW_PORT))
            prefix = os.path.join(workdir, "answers")
            run.run_wrk(url, os.path.join(run.BENCHMARKS, "wrk", "timed.lua"), arguments.duration, arguments.connections,
                        ("slow", run.API_KEY, prefix))
            report(glob.glob(prefix + "-*.txt"), arguments.over)
        finally:
            run.stop(started)


def report(paths, over):
    answers = []
    for path in paths:
        with open(path) as file:
            answers += [(float(written), float(latency), int(status)) for written, latency, status in map(str.split, file)]
    if not answers:
        sys.exit("no answers were timed")
    first = min(written for written, _, _ in answers)
    slots = {}
    for written, latency, _ in answers:
        slots.setdefault(int((written - first) / 1000 // SLOT_S), []).append(latency)
    latencies = sorted(latency for _, latency, _ in answers)
    not_2xx = sum(1 for _, _, status in answers if not 200 <= status < 300)
    print(f"{len(answers)} answers ({not_2xx} not 2xx): p50 {percentile(latencies, 0.5):.1f} ms, p99 {percentile(latencies, 0.99):.1f} ms, "
          f"max {latencies[-1]:.1f} ms, {sum(1 for latency in latencies if latency > over)} over {over:.0f} ms")
    print(f"{'written at':>10} {'answers':>8} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} {'over':>6}")
    for slot in sorted(slots):
        values = sorted(slots[slot])
        print(f"{slot * SLOT_S:>9.1f}s {len(values):>8} {percentile(values, 0.5):>8.1f} {percentile(values, 0.99):>8.1f} "
              f"{values[-1]:>8.1f} {sum(1 for latency in values if latency > over):>6}")


def percentile(values, fraction):
    return values[min(len(values) - 1, int(fraction * len(values)))]


if __name__ == "__main__":
    main()

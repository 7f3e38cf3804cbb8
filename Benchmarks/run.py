#!/usr/bin/env python3
"""Switchboard's benchmark: one command, bounded in time, stops everything it starts.

    Benchmarks/run.py [--duration 15] [--connections 64] [--provider twilio|default] [--login-workers 64]

It builds Switchboard in release mode, starts nginx on loopback as a fast fake provider answering a
Twilio-shaped 201, starts `switchboard serve` with a config whose routes send to it, and measures in
one run:
  - the ceiling: wrk straight at the fake provider;
  - sends/s end to end through POST /v1/messages (answered after the provider accepted the message
    and the message log committed it to SQLite), with median and p99 latency at full load (wrk) and
    at a fixed half load (hey, rate-limited);
  - OTP logins/s: `switchboard-bench logins` (async-http-client, many concurrent workers, distinct
    numbers per worker) does complete logins (otp/send, the code read back from the fake provider,
    otp/authenticate). OTP messages are routed to `switchboard-bench fake-provider`, an in-tree
    SwiftNIO server that answers Twilio-shaped 201s and keeps the last code per number, because
    nginx cannot hand a code back and the built-in inbox would add a write and a read per login
    that a real deployment does not do;
  - the daemon's peak RSS.
It prints a table, each result as a ratio to the ceiling, and writes JSON under Benchmarks/results/.
Tools (nginx, wrk, hey) come from Debian's packages and are installed when missing.
"""

import argparse
import datetime
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

BENCHMARKS = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCHMARKS)
RESULTS = os.path.join(BENCHMARKS, "results")
API_KEY = "bench-api-key-0123456789"
PROVIDER_PORT = 18081
DAEMON_PORT = 18080
CODES_PORT = 18082
CLIENT_ID = "bench-backend"
CLIENT_SECRET = "bench-client-secret-0123"
TWILIO_PATH = "/2010-04-01/Accounts/ACbench/Messages.json"
TWILIO_ANSWER = (
    '{"sid":"SMbench00000000000000000000000000","status":"queued","num_segments":"1",'
    '"error_code":null,"error_message":null}'
)


def log(text):
    print(text, file=sys.stderr, flush=True)


def ensure_tools():
    missing = [tool for tool in ("nginx", "wrk", "hey") if shutil.which(tool) is None and not os.path.exists(f"/usr/sbin/{tool}")]
    if not missing:
        return
    packages = {"nginx": "nginx-light", "wrk": "wrk", "hey": "hey"}
    log(f"installing {', '.join(missing)} from Debian's packages")
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    subprocess.run(["apt-get", "install", "-y", "-qq"] + [packages[t] for t in missing], check=True,
                   stdout=subprocess.DEVNULL)


def build():
    for product in ("switchboard", "switchboard-bench"):
        log(f"building {product} (release)")
        subprocess.run(["swift", "build", "-c", "release", "--product", product], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
    return os.path.join(ROOT, ".build", "release", "switchboard"), os.path.join(ROOT, ".build", "release", "switchboard-bench")


def start_fake_provider(bench_binary, workdir):
    log_file = open(os.path.join(workdir, "fake-provider.log"), "w")
    process = subprocess.Popen([bench_binary, "fake-provider", "--port", str(CODES_PORT)], stdout=log_file,
                               stderr=subprocess.STDOUT)
    deadline = time.time() + 10
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{CODES_PORT}/code?to=%2B0", timeout=1)
        except urllib.error.HTTPError:
            return process
        except OSError:
            time.sleep(0.1)
        if process.poll() is not None:
            break
    raise SystemExit(f"the fake provider did not start; see {workdir}/fake-provider.log")


def run_logins(bench_binary, duration, workers):
    output = subprocess.run(
        [bench_binary, "logins", "--base", f"http://127.0.0.1:{DAEMON_PORT}", "--provider", f"http://127.0.0.1:{CODES_PORT}",
         "--client-id", CLIENT_ID, "--secret", CLIENT_SECRET, "--workers", str(workers), "--duration", str(duration)],
        check=True, capture_output=True, text=True, timeout=duration + 120).stdout
    result = json.loads(output.strip().splitlines()[-1])
    result["requests_per_s"] = result["logins_per_s"]
    return result


def start_nginx(workdir):
    conf = os.path.join(workdir, "nginx.conf")
    with open(conf, "w") as file:
        file.write(f"""
worker_processes 1;
pid {workdir}/nginx.pid;
error_log {workdir}/nginx-error.log;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    keepalive_requests 1000000;
    client_body_temp_path {workdir}/body;
    server {{
        listen 127.0.0.1:{PROVIDER_PORT} reuseport;
        location = {TWILIO_PATH} {{
            default_type application/json;
            return 201 '{TWILIO_ANSWER}';
        }}
    }}
}}
""")
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    return subprocess.Popen([nginx, "-c", conf, "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def write_config(workdir, provider):
    if provider == "twilio":
        providers = f"""  fake:
    type: twilio
    account_sid: ACbench
    auth_token: bench-token
    base_url: http://127.0.0.1:{PROVIDER_PORT}"""
    else:
        providers = "  fake: { type: default }"
    path = os.path.join(workdir, "config.yaml")
    with open(path, "w") as file:
        file.write(f"""server:
  listen: 127.0.0.1:{DAEMON_PORT}
  api_keys: [{{ name: bench, key: {API_KEY} }}]
storage:
  sqlite: {workdir}/switchboard.sqlite
apps:
  bench:
    name: Bench
    message: "{{otp}} is your {{app}} code"
    clients: [{{ id: {CLIENT_ID}, secret: {CLIENT_SECRET} }}]
    otp: {{ resend_after: 0s, max_sends_per_hour: 1000, max_failures: 20 }}
providers:
{providers}
  codes:
    type: twilio
    account_sid: ACbench
    auth_token: bench-token
    base_url: http://127.0.0.1:{CODES_PORT}
routes:
  - {{ name: otp, match: {{ kinds: [otp] }}, sender: "+14155550100", providers: [codes] }}
  - {{ name: everyone, sender: "+14155550100", providers: [fake] }}
""")
    return path


def start_daemon(binary, config, workdir):
    log_file = open(os.path.join(workdir, "daemon.log"), "w")
    process = subprocess.Popen([binary, "serve", "--config", config, "--providers", os.path.join(ROOT, "providers"),
                                "--log-level", "warning"],
                               stdout=log_file, stderr=subprocess.STDOUT)
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{DAEMON_PORT}/healthz", timeout=1) as answer:
                if answer.status == 200:
                    return process
        except OSError:
            time.sleep(0.2)
        if process.poll() is not None:
            raise SystemExit(f"the daemon exited; see {workdir}/daemon.log")
    raise SystemExit("the daemon did not answer /healthz within 30 s")


def wrk_script(workdir, body, headers):
    path = os.path.join(workdir, "post.lua")
    header_lines = "\n".join(f'wrk.headers["{name}"] = "{value}"' for name, value in headers.items())
    with open(path, "w") as file:
        file.write(f'wrk.method = "POST"\nwrk.body = {json.dumps(body)}\n{header_lines}\n')
    return path


def parse_duration(text):
    value, unit = re.match(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def run_wrk(url, script, duration, connections):
    output = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", "-s", script, url],
        check=True, capture_output=True, text=True, timeout=duration + 60).stdout
    result = {"requests_per_s": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)), "elapsed_s": duration}
    for label, key in (("50%", "p50_ms"), ("99%", "p99_ms")):
        match = re.search(rf"^\s+{re.escape(label)}\s+(\S+)", output, re.M)
        result[key] = parse_duration(match.group(1)) if match else None
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: (.*)", output)
    result["non_2xx"] = int(errors.group(1)) if errors else 0
    result["socket_errors"] = socket_errors.group(1) if socket_errors else None
    return result


def run_hey(url, body, headers, rate, duration):
    # hey's workers send one request at a time, each at rate/workers per second: enough workers
    # that each has time to spare (50 a second each) so that the asked rate is really offered.
    workers = max(50, rate // 50)
    command = ["hey", "-z", f"{duration}s", "-c", str(workers), "-q", f"{rate / workers:.1f}", "-m", "POST",
               "-d", body, "-T", "application/json"]
    for name, value in headers.items():
        if name != "Content-Type":
            command += ["-H", f"{name}: {value}"]
    output = subprocess.run(command + [url], check=True, capture_output=True, text=True, timeout=duration + 60).stdout
    result = {"requests_per_s": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)), "elapsed_s": duration}
    for label, key in (("50%", "p50_ms"), ("99%", "p99_ms")):
        match = re.search(rf"{re.escape(label)} in ([\d.]+) secs", output)
        result[key] = float(match.group(1)) * 1000 if match else None
    statuses = dict((int(code), int(count)) for code, count in re.findall(r"\[(\d{3})\]\s+(\d+) responses", output))
    result["statuses"] = statuses
    return result


def cpu_seconds(pid):
    """User plus system CPU time the process has used so far."""
    with open(f"/proc/{pid}/stat") as file:
        fields = file.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measured(pid, phase):
    """Runs a load phase and adds the daemon's CPU time per request (or login, its users' set-up
    included) to its result: the number that says what a send costs, whatever else the machine runs."""
    before = cpu_seconds(pid)
    result = phase()
    used = cpu_seconds(pid) - before
    count = result.get("logins") or result["requests_per_s"] * result["elapsed_s"]
    result["daemon_cpu_us_per_request"] = round(used / count * 1e6) if count else None
    return result


def peak_rss_mb(pid):
    with open(f"/proc/{pid}/status") as file:
        for line in file:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=15, help="seconds per load phase (default 15)")
    parser.add_argument("--connections", type=int, default=64, help="wrk connections (default 64)")
    parser.add_argument("--switchboard", help="measure this switchboard binary instead of building one (e.g. another checkout's, for before/after)")
    parser.add_argument("--login-workers", type=int, default=64, help="concurrent OTP login workers (default 64)")
    parser.add_argument("--provider", choices=["twilio", "default"], default="twilio",
                        help="send to nginx through the twilio definition (default), or to the built-in inbox")
    arguments = parser.parse_args()

    ensure_tools()
    binary, bench_binary = build()
    if arguments.switchboard:
        binary = os.path.abspath(arguments.switchboard)
    workdir = tempfile.mkdtemp(prefix="switchboard-bench-")
    started = []
    try:
        nginx = start_nginx(workdir)
        started.append(nginx)
        started.append(start_fake_provider(bench_binary, workdir))
        config = write_config(workdir, arguments.provider)
        daemon = start_daemon(binary, config, workdir)
        started.append(daemon)

        headers = {"Content-Type": "application/json", "Authorization": f"Bearer {API_KEY}"}
        send_body = json.dumps({"to": "+14155550123", "app": "bench", "text": "Your parcel arrives today"})
        provider_body = "To=%2B14155550123&From=%2B14155550100&Body=Your+parcel+arrives+today"
        provider_script = wrk_script(workdir, provider_body, {"Content-Type": "application/x-www-form-urlencoded",
                                                              "Authorization": "Basic QUNiZW5jaDpiZW5jaC10b2tlbg=="})
        send_script = wrk_script(workdir, send_body, headers)
        duration = arguments.duration

        log(f"ceiling: wrk at the fake provider for {duration}s")
        ceiling = run_wrk(f"http://127.0.0.1:{PROVIDER_PORT}{TWILIO_PATH}", provider_script, duration, arguments.connections)
        # Steady state, not start-up: the first seconds open the provider connections and grow the
        # SQLite file and its WAL. Not reported.
        log("warm-up: wrk at POST /v1/messages for 3s")
        run_wrk(f"http://127.0.0.1:{DAEMON_PORT}/v1/messages", send_script, 3, arguments.connections)
        log(f"full load: wrk at POST /v1/messages for {duration}s")
        full = measured(daemon.pid, lambda: run_wrk(f"http://127.0.0.1:{DAEMON_PORT}/v1/messages", send_script, duration, arguments.connections))
        half_rate = max(100, int(full["requests_per_s"] / 2))
        log(f"half load: hey at {half_rate} sends/s for {duration}s")
        half = measured(daemon.pid, lambda: run_hey(f"http://127.0.0.1:{DAEMON_PORT}/v1/messages", send_body, headers, half_rate, duration))
        fixed_rate = 5000
        log(f"fixed load: hey at {fixed_rate} sends/s for {duration}s")
        fixed = measured(daemon.pid, lambda: run_hey(f"http://127.0.0.1:{DAEMON_PORT}/v1/messages", send_body, headers, fixed_rate, duration))
        log(f"OTP logins: {arguments.login_workers} workers for {duration}s")
        logins = measured(daemon.pid, lambda: run_logins(bench_binary, duration, arguments.login_workers))
        rss = peak_rss_mb(daemon.pid)
        load = open("/proc/loadavg").read().split()[:3]
    finally:
        for process in reversed(started):
            process.send_signal(signal.SIGTERM)
        for process in reversed(started):
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()

    results = {
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "provider": arguments.provider,
        "switchboard": binary,
        "duration_s": arguments.duration,
        "connections": arguments.connections,
        "ceiling": ceiling,
        "sends_full_load": full,
        "sends_half_load": half,
        "sends_at_5000_per_s": fixed,
        "otp_logins": logins,
        "peak_rss_mb": rss,
        "load_average": load,
    }
    os.makedirs(RESULTS, exist_ok=True)
    path = os.path.join(RESULTS, time.strftime("%Y%m%d-%H%M%S") + ".json")
    with open(path, "w") as file:
        json.dump(results, file, indent=2)

    def row(name, result):
        ratio = result["requests_per_s"] / ceiling["requests_per_s"]
        p50 = f"{result['p50_ms']:.2f}" if result.get("p50_ms") is not None else "-"
        p99 = f"{result['p99_ms']:.2f}" if result.get("p99_ms") is not None else "-"
        cpu = result.get("daemon_cpu_us_per_request")
        print(f"{name:<28} {result['requests_per_s']:>10.0f} {ratio:>9.1%} {p50:>9} {p99:>9} {cpu if cpu is not None else '-':>9}")

    print(f"{'phase':<28} {'req/s':>10} {'/ceiling':>9} {'p50 ms':>9} {'p99 ms':>9} {'CPU us':>9}")
    row("ceiling (nginx direct)", ceiling)
    row("sends, full load", full)
    row(f"sends, half load ({half_rate}/s)", half)
    row(f"sends at {fixed_rate}/s", fixed)
    row(f"OTP logins ({arguments.login_workers} workers)", logins)
    if logins.get("errors"):
        print(f"warning: OTP logins had {logins['errors']} errors: {logins['error_kinds']}")
    print(f"load average at the end: {' '.join(load)}")
    print(f"peak RSS of the daemon: {rss:.0f} MB" if rss else "peak RSS: unknown")
    if full.get("non_2xx") or full.get("socket_errors"):
        print(f"warning: full load had {full['non_2xx']} non-2xx answers, socket errors: {full['socket_errors']}")
    print(f"results: {os.path.relpath(path, ROOT)}")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Switchboard's benchmark, side by side with Kannel: one command, bounded in time, stops everything it starts.

    Benchmarks/run.py [--duration 15] [--connections 64] [--phases ceiling,sends,kannel,...]

It builds the daemon as production runs it (scripts/build-release), starts nginx on loopback as a
fast fake provider answering a Twilio-shaped 201, starts `switchboard serve` with a config whose
routes send to it, and measures,
in one run, each phase a ratio to the ceiling and (for sends) to Kannel measured the same way:
  - ceiling: wrk straight at nginx;
  - sends: POST /v1/messages at full load (wrk, varied traffic: six countries, a distinct number and
    text per request; see wrk/traffic.lua). A send is answered after the provider accepted it and the
    message log committed it to SQLite, so 2xx answers are messages delivered end to end;
  - kannel: Kannel 1.4.5 (Debian's `kannel`: bearerbox + smsbox, config in kannel/) with its generic
    HTTP SMSC pointed at the same nginx, `sendsms` driven by the same wrk and traffic. Kannel answers
    sendsms once it has queued a message, so what counts is what nginx logged, from the start of the
    load until the count stops growing after it (the drain), over that time;
  - half, fixed: sends at half the full-load rate and at 5,000/s, evenly paced in an open loop
    (`switchboard-bench paced`, one number and text; each latency counted from when its request was due);
  - logins: complete OTP logins (`switchboard-bench logins`: otp/send, the code read back from
    `switchboard-bench fake-provider`, otp/authenticate; 64 workers on one event loop thread);
  - slow, kannel-slow: the same against `switchboard-bench fake-provider --delay 200` (a provider that
    answers after 200 ms, as real ones do), with 1,024 client connections for Switchboard; Kannel
    counted at the fake, drain included. Each first runs 3 s from cold (no provider connection open
    yet), Switchboard's reported on a row of its own; once what that start left in flight has
    reached the fake and been answered, the steady state is measured;
  - async-slow: the same wrk and 1,024 connections, with `"async": true`, against the same slow
    provider: 202 accepts per second, and the drain (what the fake received, from the start of the
    load until its count stops growing) per second;
  - purge (SQLite only): 100,000 messages past `retention.messages` written into the file, then sends
    at a fixed rate (evenly paced, `--purge-rate`, 1,000/s) without a purge and while `POST /admin/purge`
    deletes them in the daemon's paced batches: the p50 and p99 ratios, during / without;
  - the daemon's CPU time per request in each phase (Kannel's: bearerbox + smsbox), and its peak RSS,
    with the part of its memory mapped from files at the end of each phase (nearly all of it the
    binary's code: what the layout of scripts/build-release.order keeps down);
  - in the sends and Kannel phases, wrk's and nginx's CPU time per request too, which they take from
    the same cores, and so what CPU per send 2.5× and 4× Kannel's rate would leave the daemon;
  - that CPU time split by the daemon's threads: SQLite's writer and readers, NIO's event loops,
    Swift's concurrency pool (with `server.threads: 1` the tasks run on the one event loop). A
    change to one part shows in its thread's share, which moves less from run to run than the total;
  - on PostgreSQL, the bytes of write-ahead log per request (the cluster's log position before and
    after the phase): what durability costs the database, a figure that moves far less than CPU time.
`--profile` adds a perf profile of the daemon in each of its phases (by thread, library, function).
`--counters` counts, per request, the daemon's jobs on Swift's concurrency pool, system calls, context
switches and malloc calls in each of its phases but the purge's (whose figure is latency): figures that
move far less than CPU time, for comparing builds.
`--durability process_crash` measures the SQLite daemon with commits that do not wait for the disk.
`--phases` runs some of them (e.g. `--phases slow,kannel-slow`). `--storage sqlite,postgres,postgres-2`
runs Switchboard's phases once per storage, in one run: the SQLite file; one daemon on PostgreSQL; two
daemons on that PostgreSQL behind nginx as a load balancer (round robin over both). `postgres-1b` is
one daemon behind the same balancer: beside `postgres-2`, what a second daemon changes apart from the
balancer's own hop and CPU, which share the machine with everything else. `postgres-2d` is two
daemons with no balancer: the load generators spread their connections over both (wrk's threads one
daemon each; a login's send and authenticate on different daemons), as when the balancer runs on a
machine of its own. The two daemons of `postgres-2` and `postgres-2d` share out the machine's cores
and one daemon's database connections (`server.threads: 1` and `pool: 10` each on two cores, where a
daemon alone has `threads` unset and `pool: 20`), as the README advises for daemons on one machine;
`--threads` and `--pool` set them otherwise. PostgreSQL is a
cluster the harness starts (`scripts/postgres start --durable`: fsync on, as in production), a
fresh database per storage, and stops; the daemons reach it over TCP on 127.0.0.1, or through its
Unix-domain socket with `--postgres-over socket`. It prints a table and writes JSON
under Benchmarks/results/. Its configurations, logs and databases go in a temporary directory,
removed at the end unless the run failed or `--keep` asks to keep it. Tools (nginx, wrk, kannel)
come from Debian's packages and are installed when missing. Figures hold only for the machine and
the run they come from: compare ratios within one run, and CPU time per request between binaries
alternated on one machine.
"""

import argparse
import collections
import contextlib
import datetime
import json
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

BENCHMARKS = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCHMARKS)
RESULTS = os.path.join(BENCHMARKS, "results")
API_KEY = "bench-api-key-0123456789"
PROVIDER_PORT = 18081
DAEMON_PORT = 18080
CODES_PORT = 18082
SLOW_PORT = 18083
# The slow phases' start from cold, before the steady state they measure.
SLOW_START_S = 3
KANNEL_PORTS = {"ADMIN_PORT": 13000, "SMSBOX_PORT": 13001, "SENDSMS_PORT": 13013, "MO_PORT": 13015}
CLIENT_ID = "bench-backend"
CLIENT_SECRET = "bench-client-secret-0123"
TWILIO_PATH = "/2010-04-01/Accounts/ACbench/Messages.json"
TWILIO_ANSWER = (
    '{"sid":"SMbench00000000000000000000000000","status":"queued","num_segments":"1",'
    '"error_code":null,"error_message":null}'
)
PHASES = ["ceiling", "sends", "kannel", "half", "fixed", "logins", "slow", "kannel-slow", "async-slow", "purge"]
SWITCHBOARD_PHASES = {"sends", "half", "fixed", "logins", "slow", "async-slow", "purge"}
# The purge phase: an admin token for `POST /admin/purge`, and how many aged-out messages it seeds.
ADMIN_TOKEN = "bench-admin-token-0123456789"
PURGE_ROWS = 100_000
# Workers of the asynchronous phase: as many sends in flight as the provider's default max_in_flight.
ASYNC_WORKERS = 1000
# `storage.postgres.pool`'s default in the daemon.
DAEMON_POOL = 20
# Where Switchboard keeps its state, and how many daemons serve: the daemons of a balanced storage
# listen on their own ports behind the balancer, which takes DAEMON_PORT; those of a spread storage
# listen on DAEMON_PORT and beside it, and the load generators spread over them.
STORAGES = {"sqlite": 1, "postgres": 1, "postgres-1b": 1, "postgres-2": 2, "postgres-2d": 2}
BALANCED_PORTS = {"postgres-1b": [18090], "postgres-2": [18090, 18091]}
SPREAD_PORTS = {"postgres-2d": [18080, 18092]}


def log(text):
    print(text, file=sys.stderr, flush=True)


@contextlib.contextmanager
def working_directory(prefix, keep):
    """A run's own directory for its configurations, logs, databases and PostgreSQL cluster. A run's
    databases take hundreds of megabytes, so the directory goes when the run ends; it stays, and is
    named, when the run fails (its logs say why) or when `keep` asks for it."""
    path = tempfile.mkdtemp(prefix=prefix)
    try:
        yield path
    except BaseException:
        log(f"the run's logs and databases are kept in {path}")
        raise
    if keep:
        log(f"the run's logs and databases are kept in {path}")
    else:
        shutil.rmtree(path, ignore_errors=True)


def ensure_tools(phases):
    tools = {"nginx": "nginx-light", "wrk": "wrk"}
    if phases & {"kannel", "kannel-slow"}:
        tools["bearerbox"] = "kannel"
    missing = [tool for tool in tools if shutil.which(tool) is None and not os.path.exists(f"/usr/sbin/{tool}")]
    if not missing:
        return
    log(f"installing {', '.join(tools[t] for t in missing)} from Debian's packages")
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends"] + [tools[t] for t in missing], check=True,
                   stdout=subprocess.DEVNULL, env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"))


def tool(name):
    return shutil.which(name) or f"/usr/sbin/{name}"


def build(products, scratch_path):
    """The daemon as production runs it (scripts/build-release), and the load generator and fake
    providers (switchboard-bench) as a plain release build in `scratch_path`."""
    daemon = None
    if "switchboard" in products:
        log("building switchboard (scripts/build-release)")
        daemon = subprocess.run([os.path.join(ROOT, "scripts", "build-release")], cwd=ROOT, check=True,
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True).stdout.strip()
    scratch = os.path.join(ROOT, scratch_path)
    if "switchboard-bench" in products:
        log("building switchboard-bench (release)")
        subprocess.run(["swift", "build", "-c", "release", "--scratch-path", scratch, "--product", "switchboard-bench"], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
    return daemon, os.path.join(scratch, "release", "switchboard-bench")


def binaries(switchboard, bench, scratch_path):
    """The daemon's and switchboard-bench's binaries: the paths given, or built (`build`)."""
    products = [name for name, given in (("switchboard", switchboard), ("switchboard-bench", bench)) if not given]
    binary, bench_binary = build(products, scratch_path)
    return (os.path.abspath(switchboard) if switchboard else binary,
            os.path.abspath(bench) if bench else bench_binary)


def allow_open_files():
    """1,024 client connections, as many to the daemon and its provider connections, and Kannel's."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, 65536)), hard))


def wait_for(url, what, process, log_path, seconds=30, accept_http_errors=True):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except urllib.error.HTTPError:
            if accept_http_errors:
                return
        except OSError:
            time.sleep(0.1)
        if process.poll() is not None:
            break
    raise SystemExit(f"{what} did not start; see {log_path}")


def start_fake_provider(bench_binary, workdir, port, delay_ms):
    log_path = os.path.join(workdir, f"fake-provider-{port}.log")
    process = subprocess.Popen([bench_binary, "fake-provider", "--port", str(port), "--delay", str(delay_ms)],
                               stdout=open(log_path, "w"), stderr=subprocess.STDOUT)
    wait_for(f"http://127.0.0.1:{port}/count", "the fake provider", process, log_path)
    return process


def fake_count(port):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/count", timeout=5) as answer:
        return int(answer.read())


def load_generator(command, **options):
    """Runs a load generator (wrk, `switchboard-bench`) to its end, and the CPU it used: it shares
    the machine with what it measures, and `measured` gives its CPU per request beside the
    daemon's. Its own, as the only child of ours that ends while it runs."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    finished = subprocess.run(command, capture_output=True, text=True, **options)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return finished, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def run_logins(bench_binary, duration, workers, ports):
    bases = ",".join(f"http://127.0.0.1:{port}" for port in ports)
    finished, spent = load_generator(
        [bench_binary, "logins", "--base", bases, "--provider", f"http://127.0.0.1:{CODES_PORT}",
         "--client-id", CLIENT_ID, "--secret", CLIENT_SECRET, "--workers", str(workers), "--duration", str(duration)],
        timeout=duration + 120)
    if finished.returncode != 0:
        sys.exit(f"switchboard-bench logins failed (exit status {finished.returncode}): {finished.stderr.strip() or finished.stdout.strip()}")
    result = json.loads(finished.stdout.strip().splitlines()[-1])
    result["requests_per_s"] = result["logins_per_s"]
    result["load_cpu_s"] = spent
    return result


def start_nginx(workdir):
    """nginx as the fast fake provider: Twilio's path for Switchboard, /send for Kannel's generic
    HTTP SMSC. Each logs to its own file (buffered), whose line count is what was delivered."""
    conf = os.path.join(workdir, "nginx.conf")
    with open(conf, "w") as file:
        file.write(f"""
worker_processes 1;
pid {workdir}/nginx.pid;
error_log {workdir}/nginx-error.log;
events {{ worker_connections 8192; }}
http {{
    keepalive_requests 1000000;
    client_body_temp_path {workdir}/body;
    log_format count "$status";
    server {{
        listen 127.0.0.1:{PROVIDER_PORT} reuseport;
        location = {TWILIO_PATH} {{
            access_log {workdir}/switchboard-access.log count buffer=256k flush=200ms;
            default_type application/json;
            return 201 '{TWILIO_ANSWER}';
        }}
        location = /send {{
            access_log {workdir}/kannel-access.log count buffer=256k flush=200ms;
            default_type application/json;
            return 201 '{TWILIO_ANSWER}';
        }}
    }}
}}
""")
    return subprocess.Popen([tool("nginx"), "-c", conf, "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def line_count(path):
    try:
        with open(path, "rb") as file:
            return sum(chunk.count(b"\n") for chunk in iter(lambda: file.read(1 << 20), b""))
    except FileNotFoundError:
        return 0


def write_config(workdir, provider, storage="sqlite", port=None, name="config.yaml", asynchronous=False, purge=False, pool=None,
                 durability=None, threads=None):
    """`storage` is `sqlite` or a PostgreSQL URL. `server.issuer` is the address clients use (the
    balancer's when there is one), so a token one daemon issued is accepted by the other."""
    if provider == "twilio":
        providers = f"""  fake:
    type: twilio
    account_sid: ACbench
    auth_token: bench-token
    base_url: http://127.0.0.1:{PROVIDER_PORT}"""
    else:
        providers = "  fake: { type: default }"
    port = port or DAEMON_PORT
    path = os.path.join(workdir, name)
    if storage != "sqlite":
        pool_setting = f", pool: {pool}" if pool else ""
        storage_setting = f'postgres: {{ url: "{storage}"{pool_setting} }}'
    elif durability:
        storage_setting = f"sqlite: {{ path: {workdir}/switchboard.sqlite, durability: {durability} }}"
    else:
        storage_setting = f"sqlite: {workdir}/switchboard.sqlite"
    # The provider settings are those of every build (no max_in_flight): the same file measures
    # an older binary (--switchboard) with its defaults. `delivery.async` only for the phase that needs it.
    delivery = f"delivery:\n  async: {{ workers: {ASYNC_WORKERS}, max_queued: 10000000 }}\n" if asynchronous else ""
    # The login phase's numbers are +4477009 and five digits: under the default seven-digit prefix
    # all of them would be one prefix, which `otp.velocity` blocks after 20 numbers. Eleven-digit
    # prefixes hold ten numbers each, so the velocity rule is counted on every send and never blocks.
    # The purge phase runs its purge by hand (`every: 1d` keeps the daemon's own passes out of it).
    if purge:
        delivery += f"admin:\n  tokens: [{ADMIN_TOKEN}]\nretention: {{ messages: 90d, every: 1d }}\n"
    threads_setting = f"  threads: {threads}\n" if threads else ""
    with open(path, "w") as file:
        file.write(f"""server:
  listen: 127.0.0.1:{port}
  issuer: http://127.0.0.1:{DAEMON_PORT}
  api_keys: [{{ name: bench, key: {API_KEY} }}]
  max_connections: 4096
{threads_setting}storage:
  {storage_setting}
{delivery}apps:
  bench:
    name: Bench
    message: "{{otp}} is your {{app}} code"
    clients: [{{ id: {CLIENT_ID}, secret: {CLIENT_SECRET} }}]
    otp: {{ resend_after: 0s, max_sends_per_hour: 1000, max_failures: 20, budgets: {{ default: none }}, velocity: {{ prefix_digits: 11 }} }}
  slow:
    name: Slow
    message: "{{otp}} is your {{app}} code"
providers:
{providers}
  codes:
    type: twilio
    account_sid: ACbench
    auth_token: bench-token
    base_url: http://127.0.0.1:{CODES_PORT}
  slowfake:
    type: twilio
    account_sid: ACbench
    auth_token: bench-token
    base_url: http://127.0.0.1:{SLOW_PORT}
routes:
  - {{ name: otp, match: {{ kinds: [otp] }}, sender: "+14155550100", providers: [codes] }}
  - {{ name: slow, match: {{ apps: [slow] }}, sender: "+14155550100", providers: [slowfake] }}
  - {{ name: everyone, sender: "+14155550100", providers: [fake] }}
""")
    return path


def per_daemon_setting(text):
    """`--threads` and `--pool`: `auto`, `unset` or a whole number from 1."""
    if text in ("auto", "unset") or (text.isdigit() and int(text) >= 1):
        return text
    raise argparse.ArgumentTypeError(f"'{text}' is not auto, unset or a whole number from 1")


def positive_share(text):
    """`--daemon-cpus`: a share of one core, above 0 and at most the machine's cores."""
    try:
        share = float(text)
    except ValueError:
        share = 0
    if not 0 < share <= (os.cpu_count() or 1):
        raise argparse.ArgumentTypeError(f"'{text}' is not a share of one core above 0 and at most {os.cpu_count() or 1}")
    return share


def per_daemon(setting, daemons, whole, alone):
    """A setting of each of `daemons` daemons sharing this machine and its database, or None to
    leave it unset: a number as given; `auto`, `alone` for a daemon by itself, else `whole` shared
    out among them."""
    if setting == "unset":
        return None
    if setting != "auto":
        return int(setting)
    return alone if daemons == 1 else max(1, whole // daemons)


def read_from_disk_at_start(binary):
    """Drops the binary's pages from the page cache (those no running process maps), so the daemon
    reads its code from disk as after a reboot, whatever wrote the file last. How much of a mapped
    file a fault makes resident depends on how its pages came into the cache: a file just written
    (a build, a copy) is cached in large folios, and a fault maps more of it at once, so without
    this the build written last would hold more of its binary resident than the same bytes read
    from disk (Benchmarks/HISTORY.md, "The binary's pages in the page cache")."""
    descriptor = os.open(binary, os.O_RDONLY)
    try:
        os.fsync(descriptor)  # pages still to be written back are not dropped
        os.posix_fadvise(descriptor, 0, 0, os.POSIX_FADV_DONTNEED)
    finally:
        os.close(descriptor)


def start_daemon(binary, config, workdir, port=None, name="daemon"):
    port = port or DAEMON_PORT
    read_from_disk_at_start(binary)
    log_path = os.path.join(workdir, f"{name}.log")
    process = subprocess.Popen([binary, "serve", "--config", config, "--providers", os.path.join(ROOT, "providers"),
                                "--log-level", "warning"],
                               stdout=open(log_path, "w"), stderr=subprocess.STDOUT)
    wait_for(f"http://127.0.0.1:{port}/healthz", "the daemon", process, log_path, accept_http_errors=False, seconds=60)
    return process


def start_postgres(workdir):
    """A PostgreSQL cluster of its own in the work folder, with production settings; its admin URL."""
    # As root the cluster runs as another user, who must be able to pass through the work folder.
    os.chmod(workdir, 0o711)
    env = dict(os.environ, SWITCHBOARD_PG_STATE=os.path.join(workdir, "postgres"))
    url = subprocess.run([os.path.join(ROOT, "scripts", "postgres"), "start", "--durable"], env=env, check=True,
                         capture_output=True, text=True).stdout.strip()
    return url, lambda: subprocess.run([os.path.join(ROOT, "scripts", "postgres"), "stop"], env=env, check=False)


PostgresServer = collections.namedtuple("PostgresServer", "postmaster url")


def postgres_postmaster(workdir):
    with open(os.path.join(workdir, "postgres", "data", "postmaster.pid")) as file:
        return int(file.readline())


def create_database(admin_url, name):
    subprocess.run(["psql", admin_url, "-q", "-c", f"CREATE DATABASE {name}"], check=True, stdout=subprocess.DEVNULL)
    subprocess.run(["psql", admin_url.replace("/postgres?", f"/{name}?"), "-q", "-c", "CREATE EXTENSION IF NOT EXISTS pg_stat_statements"],
                   check=True, stdout=subprocess.DEVNULL)
    return admin_url.replace("/postgres?", f"/{name}?")


def through_socket(url, workdir):
    """The same database through the cluster's Unix-domain socket (`scripts/postgres` puts it in its
    folder's `socket`), in the form an operator writes: no host, the directory as `host`."""
    parts = urllib.parse.urlsplit(url)
    return f"postgres://{parts.username}@:{parts.port}{parts.path}?host={os.path.join(workdir, 'postgres', 'socket')}"


def start_balancer(workdir, ports):
    """nginx on DAEMON_PORT as the load balancer in front of the daemons: round robin, keep-alive."""
    conf = os.path.join(workdir, "balancer.conf")
    servers = "\n".join(f"        server 127.0.0.1:{port};" for port in ports)
    with open(conf, "w") as file:
        file.write(f"""
worker_processes 1;
pid {workdir}/balancer.pid;
error_log {workdir}/balancer-error.log;
events {{ worker_connections 8192; }}
http {{
    access_log off;
    client_body_temp_path {workdir}/balancer-body;
    proxy_temp_path {workdir}/balancer-proxy;
    upstream daemons {{
{servers}
        keepalive 256;
    }}
    server {{
        listen 127.0.0.1:{DAEMON_PORT} reuseport;
        location / {{
            proxy_pass http://daemons;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
        }}
    }}
}}
""")
    process = subprocess.Popen([tool("nginx"), "-c", conf, "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for(f"http://127.0.0.1:{DAEMON_PORT}/healthz", "the balancer", process, conf, accept_http_errors=False)
    return process


def top_statements(url, limit=8):
    """pg_stat_statements' statements that took the most time, for the JSON: where PostgreSQL's time goes.
    `plans` is how many of the calls were planned (the cluster tracks planning): a prepared statement
    planned on every call, rather than once per connection, shows here, with the time it took."""
    query = ("SELECT calls, round(total_exec_time::numeric, 1), round(mean_exec_time::numeric, 3), plans, round(total_plan_time::numeric, 1), "
             "left(regexp_replace(query, '\\s+', ' ', 'g'), 100) "
             f"FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) "
             f"ORDER BY total_exec_time + total_plan_time DESC LIMIT {limit}")
    output = subprocess.run(["psql", url, "-At", "-F", "\t", "-c", query], capture_output=True, text=True).stdout
    columns = ("calls", "total_ms", "mean_ms", "plans", "plan_ms", "query")
    return [dict(zip(columns, line.split("\t"))) for line in output.splitlines()]


def start_kannel(workdir, send_url, name):
    """bearerbox, then smsbox, with Benchmarks/kannel/kannel.conf pointed at `send_url`."""
    with open(os.path.join(BENCHMARKS, "kannel", "kannel.conf")) as file:
        conf = file.read()
    values = dict(KANNEL_PORTS, WORKDIR=os.path.join(workdir, name), SEND_URL=send_url)
    os.makedirs(values["WORKDIR"], exist_ok=True)
    for key, value in values.items():
        conf = conf.replace("{" + key + "}", str(value))
    path = os.path.join(values["WORKDIR"], "kannel.conf")
    with open(path, "w") as file:
        file.write(conf)
    out = open(os.path.join(values["WORKDIR"], "boxes.out"), "w")
    bearerbox = subprocess.Popen([tool("bearerbox"), "-v", "3", path], stdout=out, stderr=subprocess.STDOUT)
    status = f"http://127.0.0.1:{KANNEL_PORTS['ADMIN_PORT']}/status.txt?password=bench"
    wait_for(status, "bearerbox", bearerbox, out.name)
    smsbox = subprocess.Popen([tool("smsbox"), "-v", "3", path], stdout=out, stderr=subprocess.STDOUT)
    boxes = [bearerbox, smsbox]
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(status, timeout=1) as answer:
                text = answer.read().decode()
            if "smsbox:" in text and re.search(r"fake\[fake\].*\(online", text):
                wait_for(f"http://127.0.0.1:{KANNEL_PORTS['SENDSMS_PORT']}/cgi-bin/sendsms", "smsbox", smsbox, out.name)
                return boxes
        except OSError:
            pass
        time.sleep(0.2)
    stop(boxes)
    raise SystemExit(f"Kannel did not come up; see {out.name}")


def stop(processes):
    for process in reversed(processes):
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for process in reversed(processes):
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def parse_duration(text):
    value, unit = re.match(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def run_wrk(url, script, duration, connections, script_args=(), timeout_s=None, ports=None):
    """`ports`: wrk's threads spread over daemons on those ports of the URL's host (traffic.lua),
    one thread each."""
    command = ["wrk", f"-t{max(2, len(ports or []))}", f"-c{connections}", f"-d{duration}s", "--latency", "-s", script]
    if timeout_s:
        command.append(f"--timeout={timeout_s}s")
    command.append(url)
    if script_args:
        command += ["--"] + list(script_args)
    environment = dict(os.environ, WRK_PORTS=",".join(map(str, ports))) if ports else None
    finished, spent = load_generator(command, check=True, timeout=duration + 120, env=environment)
    output = finished.stdout
    result = {"requests_per_s": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)), "elapsed_s": duration}
    result["load_cpu_s"] = spent
    result["requests"] = int(re.search(r"(\d+) requests in", output).group(1))
    for label, key in (("50%", "p50_ms"), ("99%", "p99_ms")):
        match = re.search(rf"^\s+{re.escape(label)}\s+(\S+)", output, re.M)
        result[key] = parse_duration(match.group(1)) if match else None
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    result["non_2xx"] = int(errors.group(1)) if errors else 0
    result["timeouts"] = int(socket_errors.group(4)) if socket_errors else 0
    result["socket_errors"] = socket_errors.group(0) if socket_errors else None
    # Answered 2xx: for Switchboard, messages the provider accepted before the answer.
    result["ok_per_s"] = (result["requests"] - result["non_2xx"]) / duration
    return result


def run_paced(bench_binary, urls, body, rate, duration):
    """Sends at `rate` a second, evenly spaced, whether or not earlier ones were answered
    (`switchboard-bench paced`); each latency counts from the moment its request was due. A closed
    loop of self-pacing workers (hey's `-q`) fires every worker at the same instant, so what it
    measures is how fast a burst of one request per worker drains, not the latency at that rate."""
    finished, spent = load_generator([bench_binary, "paced", "--url", ",".join(urls), "--rate", str(rate), "--duration", str(duration),
                                      "--body", body, "--authorization", f"Bearer {API_KEY}"], check=True, timeout=duration + 120)
    result = json.loads(finished.stdout.strip().splitlines()[-1])
    result["load_cpu_s"] = spent
    result["statuses"] = {int(code): count for code, count in result["statuses"].items()}
    if result["failures"]:
        result["statuses"]["failed"] = sum(result["failures"].values())
    return result


def stat_cpu(path):
    """The name and the user plus system CPU time so far of the process or thread whose `stat`
    file (under /proc) is `path`."""
    with open(path) as file:
        text = file.read()
    fields = text.rsplit(")", 1)[1].split()
    return text[text.index("(") + 1:text.rindex(")")], (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    """User plus system CPU time the process has used so far."""
    return stat_cpu(f"/proc/{pid}/stat")[1]


# The daemon's threads by what they run; a thread's name says which (Linux keeps 15 characters).
THREAD_GROUPS = (("sqlite-writer", "SQLite writer"), ("sqlite-reader", "SQLite readers"), ("NIO-", "event loops"), ("qos", "concurrency pool"))


def thread_cpu_seconds(pid):
    """The CPU time so far of the process's threads, summed by THREAD_GROUPS (the rest: "other"):
    where a request's CPU time goes, a split that varies less from run to run than the total."""
    totals = {}
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            name, seconds = stat_cpu(f"/proc/{pid}/task/{task}/stat")
        except OSError:
            continue
        group = next((label for marker, label in THREAD_GROUPS if marker in name), "other")
        totals[group] = totals.get(group, 0) + seconds
    return totals


def server_cpu_seconds(parent):
    """The CPU time so far of a server's first process and its children: PostgreSQL's postmaster
    and its backends (not other clusters on the machine), nginx's master and its workers. What the
    database or the provider costs per request, beside the daemon's."""
    total = cpu_seconds(parent)
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as file:
                    fields = file.read().rsplit(")", 1)[1].split()
                if int(fields[1]) == parent:
                    total += cpu_seconds(entry)
            except (OSError, ValueError):
                continue
    return total


def wal_position(url):
    """PostgreSQL's current write-ahead log position, in bytes: two of them bound what the cluster
    logged in between, whichever backend logged it."""
    output = subprocess.run(["psql", url, "-At", "-c", "SELECT pg_current_wal_lsn() - '0/0'"], capture_output=True, text=True, check=True).stdout
    return int(output.strip())


def measured(pids, phase, count_key=None, postgres=None, counters=None, provider=None):
    """Runs a load phase and adds the CPU time the given processes used per request (or login, its
    users' set-up included; or message delivered) to its result: the number that says what a
    request costs, whatever else the machine runs. With `counters`, also what they count per request;
    with `provider` (nginx's master), the provider's CPU per request; and the load generator's."""
    for pid in pids:
        reset_peak_rss(pid)
    before = sum(cpu_seconds(pid) for pid in pids)
    threads_before = [thread_cpu_seconds(pid) for pid in pids]
    database_before = server_cpu_seconds(postgres.postmaster) if postgres else 0
    provider_before = server_cpu_seconds(provider) if provider else 0
    wal_before = wal_position(postgres.url) if postgres else 0
    counting = counters.start(pids) if counters else None
    try:
        result = phase()
    finally:
        counted = counters.stop(counting) if counters else None
    result["peak_rss_mb"] = max(filter(None, (peak_rss_mb(pid) for pid in pids)), default=None)
    result["file_rss_mb"] = max(filter(None, (status_mb(pid, "RssFile") for pid in pids)), default=None)
    used = sum(cpu_seconds(pid) for pid in pids) - before
    threads_used = {}
    for pid, earlier in zip(pids, threads_before):
        for group, seconds in thread_cpu_seconds(pid).items():
            threads_used[group] = threads_used.get(group, 0) + seconds - earlier.get(group, 0)
    database_used = server_cpu_seconds(postgres.postmaster) - database_before if postgres else 0
    provider_used = server_cpu_seconds(provider) - provider_before if provider else 0
    wal_logged = wal_position(postgres.url) - wal_before if postgres else 0
    if count_key:
        count = result[count_key]
    else:
        count = result.get("logins") or result["requests_per_s"] * result["elapsed_s"]
    result["cpu_us_per_request"] = round(used / count * 1e6) if count else None
    if count:
        result["cpu_us_per_request_by_thread"] = {group: round(seconds / count * 1e6) for group, seconds in threads_used.items() if seconds > 0}
    if counted and count:
        result["per_request"] = {name: round(value / count, 2) for name, value in counted.items()}
    if "load_cpu_s" in result and count:
        result["load_cpu_us_per_request"] = round(result.pop("load_cpu_s") / count * 1e6)
    if provider and count:
        result["provider_cpu_us_per_request"] = round(provider_used / count * 1e6)
    if postgres:
        result["postgres_wal_kib_per_request"] = round(wal_logged / count / 1024, 2) if count else None
        result["postgres_cpu_us_per_request"] = round(database_used / count * 1e6) if count else None
    return result


def settled(count):
    """Waits until the provider's count has not grown for 3 s (at most 300 s): everything sent to it
    has arrived, and its answers, due at most its delay later, are back. The count and when it last
    grew."""
    last, last_change = count(), time.time()
    deadline = time.time() + 300
    while time.time() < deadline:
        time.sleep(0.5)
        now = count()
        if now != last:
            last, last_change = now, time.time()
        elif time.time() - last_change >= 3:
            break
    return last, last_change


def delivered(count, load):
    """Runs `load` and counts what the provider received from its start until the count stops
    growing after it (the drain): the end-to-end rate of a gateway that answers before it sends."""
    start_count = count()
    started = time.time()
    result = load()
    last, last_change = settled(count)
    messages = last - start_count
    elapsed = max(last_change, started + result["elapsed_s"]) - started
    result["accepted_per_s"] = result.pop("ok_per_s")
    result["delivered"] = messages
    result["delivered_elapsed_s"] = round(elapsed, 2)
    result["requests_per_s"] = messages / elapsed if elapsed > 0 else 0
    return result


def reset_peak_rss(pid):
    """Sets the process's peak RSS (VmHWM) back to its current RSS, so that the peak read after a
    phase is that phase's own. Peaks stay cumulative where the kernel does not allow it."""
    try:
        with open(f"/proc/{pid}/clear_refs", "w") as file:
            file.write("5")
    except OSError:
        pass


def daemon_results(results):
    """The results of the phases that measured the daemon, not nginx (the ceiling) or Kannel."""
    return [result for name, result in results.items()
            if isinstance(result, dict) and name not in ("ceiling", "kannel", "kannel_slow")]


def peak_rss_mb(pid):
    return status_mb(pid, "VmHWM")


def status_mb(pid, key):
    """One of the process's memory figures in /proc/PID/status (VmHWM, RssFile, ...), in MB."""
    with open(f"/proc/{pid}/status") as file:
        for line in file:
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024
    return None


class CpuCaps:
    """`--daemon-cpus`: each daemon in a cgroup of its own, its CPU time capped at that share of one
    core (a CFS quota), while PostgreSQL, the balancer and the load generators run uncapped: each
    daemon as if it had a small machine of its own, so that a second daemon adds capacity and the
    rate shows whether the daemons scale or wait for each other. cgroup v2's cpu controller where
    it is enabled, else v1's."""

    PERIOD_US = 100_000

    def __init__(self, share):
        self.share = share
        self.groups = []
        unified = "/sys/fs/cgroup"
        try:
            controllers = open(os.path.join(unified, "cgroup.controllers")).read().split()
        except OSError:
            controllers = []
        if "cpu" in controllers:
            self.root, self.unified = unified, True
        elif os.path.exists("/sys/fs/cgroup/cpu/cpu.cfs_quota_us"):
            self.root, self.unified = "/sys/fs/cgroup/cpu", False
        else:
            sys.exit("--daemon-cpus: this machine has no cgroup cpu controller (neither cpu in /sys/fs/cgroup/cgroup.controllers "
                     "nor /sys/fs/cgroup/cpu/cpu.cfs_quota_us)")

    def cap(self, pid, name):
        """Moves process `pid`, all its threads, into a group of its own with the quota."""
        path = os.path.join(self.root, f"switchboard-bench-{os.getpid()}-{name}")
        os.makedirs(path, exist_ok=True)
        self.groups.append(path)
        quota = max(1000, int(self.share * self.PERIOD_US))
        try:
            if self.unified:
                self.write(path, "cpu.max", f"{quota} {self.PERIOD_US}")
            else:
                self.write(path, "cpu.cfs_period_us", str(self.PERIOD_US))
                self.write(path, "cpu.cfs_quota_us", str(quota))
            self.write(path, "cgroup.procs", str(pid))
        except OSError as error:
            sys.exit(f"--daemon-cpus: could not cap the daemon in {path}: {error} (it needs root)")

    @staticmethod
    def write(path, name, value):
        with open(os.path.join(path, name), "w") as file:
            file.write(value)

    def close(self):
        """Removes the groups, once their daemons have exited."""
        for path in self.groups:
            try:
                os.rmdir(path)
            except OSError as error:
                log(f"--daemon-cpus: {path} not removed: {error}")
        self.groups = []


class Counters:
    """`--counters`: counts, while a phase runs, the daemon's jobs run on Swift's concurrency pool
    (each a task started or resumed there: a hop), its system calls, context switches and calls to
    malloc, with `perf stat` and two uprobes. Jobs and mallocs per request move far less than CPU
    time with the machine's speed and what else it runs, so a run or two of each build compares
    them. The uprobes slow every malloc, so the CPU time per request of such a run is not
    comparable with a run without them."""

    EVENTS = {
        "jobs": "probe_libswift_Concurrency:swift_job_run",
        "syscalls": "raw_syscalls:sys_enter",
        "context_switches": "context-switches",
        "mallocs": "probe_libc:malloc",
    }

    def __init__(self, binary):
        libraries = subprocess.run(["ldd", binary], capture_output=True, text=True, check=True).stdout
        paths = {}
        for line in libraries.splitlines():
            parts = line.split()
            if len(parts) >= 3 and parts[1] == "=>":
                paths[parts[0]] = parts[2]
        concurrency, libc = paths.get("libswift_Concurrency.so"), paths.get("libc.so.6")
        if not concurrency or not libc:
            sys.exit(f"--counters: {binary} does not link libswift_Concurrency.so and libc.so.6 dynamically (ldd: {sorted(paths)})")
        self.probes = [(self.EVENTS["jobs"], concurrency, "swift_job_run"), (self.EVENTS["mallocs"], libc, "malloc")]
        for name, library, function in self.probes:
            subprocess.run(["perf", "probe", "-q", "-d", name], capture_output=True)
            made = subprocess.run(["perf", "probe", "-q", "-x", library, function], capture_output=True, text=True)
            if made.returncode != 0:
                self.close()
                sys.exit(f"--counters: perf could not place a uprobe on {function} in {library}: {made.stderr.strip()}")

    def start(self, pids):
        output = tempfile.NamedTemporaryFile(prefix="switchboard-counters-", suffix=".csv", delete=False)
        output.close()
        command = ["perf", "stat", "-x", ",", "-o", output.name, "-e", ",".join(self.EVENTS.values()),
                   "-p", ",".join(str(pid) for pid in pids)]
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        time.sleep(0.2)
        if process.poll() is not None:
            sys.exit(f"--counters: perf stat stopped at once: {process.stderr.read().strip()}")
        return process, output.name

    def stop(self, counting):
        process, path = counting
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)
        names = {event: name for name, event in self.EVENTS.items()}
        counted = {}
        with open(path) as file:
            for line in file:
                fields = line.strip().split(",")
                if len(fields) > 2 and fields[2] in names and fields[0].replace(".", "", 1).isdigit():
                    counted[names[fields[2]]] = float(fields[0])
        os.unlink(path)
        missing = set(self.EVENTS) - set(counted)
        if missing:
            sys.exit(f"--counters: perf stat counted no {', '.join(sorted(missing))}")
        return counted

    def close(self):
        for name, _, _ in self.probes:
            subprocess.run(["perf", "probe", "-q", "-d", name], capture_output=True)


class Profile:
    """`--profile`: samples the daemon with perf while a phase runs and writes where its CPU time
    went: by thread (event loops, the concurrency pool and the SQLite writer), by library, and the
    top functions by self time. Started a second into the phase, so that it sees the steady state,
    and stopped before the phase ends. The daemon's own functions are named from `nm`, since this
    perf cannot read the symbols of a Swift release binary ("cannot get elf header")."""

    def __init__(self, stamp, top, binary):
        self.stamp = stamp
        self.top = top
        self.binary = binary
        self.symbols = None
        self.reports = []

    def around(self, name, pid, duration, phase):
        os.makedirs(RESULTS, exist_ok=True)
        data = os.path.join(RESULTS, f"{self.stamp}-{name}.perf.data")
        seconds = max(1, duration - 2)
        recorder = subprocess.Popen(["sh", "-c", f"sleep 1; exec perf record -q -F 499 -p {pid} -o {data} -- sleep {seconds}"],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            result = phase()
        finally:
            recorder.wait(timeout=duration + 60)
        path = os.path.join(RESULTS, f"{self.stamp}-{name}.profile.txt")
        with open(path, "w") as file:
            file.write(self.summary(data))
        self.reports.append(path)
        return result

    def address_past_offset(self, offset):
        """How far the binary's addresses run ahead of its file offsets in the loaded segment that
        starts at `offset`: none as gold lays a binary out, a page or more as lld does."""
        headers = subprocess.run(["readelf", "-lW", self.binary], capture_output=True, text=True).stdout
        for line in headers.splitlines():
            fields = line.split()
            if fields[:1] == ["LOAD"] and int(fields[1], 16) // 4096 == offset // 4096:
                return int(fields[2], 16) - int(fields[1], 16)
        sys.exit(f"--profile: no loaded segment of {self.binary} at file offset {offset:#x}")

    def summary(self, data):
        import bisect
        import collections
        if self.symbols is None:
            listing = subprocess.run(["nm", "-n", "--defined-only", self.binary], capture_output=True, text=True).stdout
            pairs = [(int(address, 16), symbol) for address, kind, symbol in
                     (line.split(maxsplit=2) for line in listing.splitlines() if line.count(" ") >= 2) if kind in "tTwW"]
            self.symbols = ([address for address, _ in pairs], [symbol for _, symbol in pairs])
        addresses, names = self.symbols
        base = 0
        events = subprocess.run(["perf", "script", "-i", data, "--show-mmap-events"], capture_output=True, text=True).stdout
        for line in events.splitlines():
            if "PERF_RECORD_MMAP" in line and "r-xp" in line and line.rstrip().endswith(self.binary):
                match = re.search(r"\[(0x[0-9a-f]+)\((0x[0-9a-f]+)\) @ (0x[0-9a-f]+|0)", line)
                offset = int(match.group(3), 16)
                base = int(match.group(1), 16) - offset - self.address_past_offset(offset)
                break
        samples = subprocess.run(["perf", "script", "-i", data, "-F", "comm,ip,sym,dso"], capture_output=True, text=True).stdout
        threads, libraries, functions = collections.Counter(), collections.Counter(), collections.Counter()
        for line in samples.splitlines():
            parts = line.split()
            if len(parts) < 3 or not parts[-1].startswith("("):
                continue
            library = parts[-1].strip("()")
            threads[parts[0]] += 1
            libraries[os.path.basename(library)] += 1
            if library == self.binary:
                index = bisect.bisect_right(addresses, int(parts[1], 16) - base) - 1
                function = names[index] if index >= 0 else parts[1]
            else:
                function = " ".join(parts[2:-1])
            functions[(os.path.basename(library), function)] += 1
        total = sum(threads.values()) or 1
        top = functions.most_common(self.top)
        demangled = subprocess.run(["swift", "demangle", "--simplified", "--compact"], input="\n".join(f for (_, f), _ in top),
                                   capture_output=True, text=True).stdout.splitlines()
        lines = [f"# {total} samples; self time by thread"]
        lines += [f"{count * 100 / total:6.2f}%  {thread}" for thread, count in threads.most_common(10)]
        lines += ["", "# by library"] + [f"{count * 100 / total:6.2f}%  {library}" for library, count in libraries.most_common(10)]
        lines += ["", "# by function"]
        lines += [f"{count * 100 / total:6.2f}%  {library[:24]:<24} {function}" for ((library, _), count), function in zip(top, demangled)]
        return "\n".join(lines) + "\n"


def run_switchboard_phases(phases, results, suffix, pids, postgres, arguments, bench_binary, sends_url, sends_script, connections, duration,
                           profile=None, counters=None, spread=None, provider=None):
    """Switchboard's phases against the daemon(s) at DAEMON_PORT, or spread over the daemons on the
    ports `spread` lists, their results under NAME + suffix. `provider`: nginx's master, the
    provider of the sends phase, whose CPU it counts."""
    paced_urls = [sends_url.replace(f":{DAEMON_PORT}/", f":{port}/") for port in spread] if spread else [sends_url]
    send_body = json.dumps({"to": "+14155550123", "app": "bench", "text": "Your parcel arrives today"})

    def on_daemon(name, load, provider=None):
        if profile:
            return measured(pids, postgres=postgres, counters=counters, provider=provider,
                            phase=lambda: profile.around(name + suffix, pids[0], duration, load))
        return measured(pids, postgres=postgres, counters=counters, provider=provider, phase=load)

    if phases & {"sends", "half", "fixed"}:
        # Steady state, not start-up: the first seconds open the provider and database connections
        # and grow the SQLite file and its WAL. Not reported.
        log(f"warm-up{suffix}: wrk at POST /v1/messages for 3s")
        run_wrk(sends_url, sends_script, 3, connections, ("bench", API_KEY), ports=spread)
    if "sends" in phases:
        log(f"sends{suffix}: wrk at POST /v1/messages for {duration}s")
        results["sends" + suffix] = on_daemon("sends", lambda: run_wrk(sends_url, sends_script, duration, connections, ("bench", API_KEY), ports=spread),
                                              provider=provider)
    if "half" in phases:
        full = results.get("sends" + suffix)
        half_rate = max(100, int(full["requests_per_s"] / 2)) if full else 2500
        log(f"half load{suffix}: {half_rate} sends/s, evenly paced, for {duration}s")
        results["half" + suffix] = on_daemon("half", lambda: run_paced(bench_binary, paced_urls, send_body, half_rate, duration))
        results["half" + suffix]["rate"] = half_rate
    if "fixed" in phases:
        log(f"fixed load{suffix}: 5000 sends/s, evenly paced, for {duration}s")
        results["fixed" + suffix] = on_daemon("fixed", lambda: run_paced(bench_binary, paced_urls, send_body, 5000, duration))
    if "logins" in phases:
        log(f"OTP logins{suffix}: {arguments.login_workers} workers for {duration}s")
        results["logins" + suffix] = on_daemon("logins", lambda: run_logins(bench_binary, duration, arguments.login_workers, spread or [DAEMON_PORT]))
    if "slow" in phases:
        # From cold, the first request on each client connection opens a provider connection, all
        # at once, and each waits behind all of them: its own row. Then the steady state, as for the
        # sends after their warm-up, once the sends the start left in flight are answered (wrk
        # hangs up on them when it stops, and their provider slots would hold the next phase's
        # first requests back), as Kannel's start is drained before its steady state.
        log(f"slow start{suffix}: wrk with {arguments.slow_connections} connections at POST /v1/messages for {SLOW_START_S}s, "
            f"provider answering after {arguments.slow_delay} ms, no provider connection open yet, then the sends left in flight")
        count = lambda: fake_count(SLOW_PORT)
        results["slow_start" + suffix] = measured(pids, postgres=postgres, phase=lambda: run_wrk(
            sends_url, sends_script, SLOW_START_S, arguments.slow_connections, ("slow", API_KEY), ports=spread))
        settled(count)
        log(f"slow{suffix}: wrk with {arguments.slow_connections} connections at POST /v1/messages for {duration}s, "
            f"provider answering after {arguments.slow_delay} ms")
        before = count()
        results["slow" + suffix] = on_daemon("slow", lambda: run_wrk(
            sends_url, sends_script, duration, arguments.slow_connections, ("slow", API_KEY), ports=spread))
        results["slow" + suffix]["provider_received"] = count() - before
    if "async-slow" in phases:
        log(f"async-slow{suffix}: wrk with {arguments.slow_connections} connections at POST /v1/messages with \"async\": true "
            f"for {duration}s, provider answering after {arguments.slow_delay} ms, then the drain")
        count = lambda: fake_count(SLOW_PORT)
        results["async_slow" + suffix] = measured(pids, postgres=postgres, counters=counters, phase=lambda: delivered(count, lambda: run_wrk(
            sends_url, sends_script, duration, arguments.slow_connections, ("slow", API_KEY, "async"), ports=spread)), count_key="delivered")


def seed_aged_messages(database, rows):
    """Writes `rows` accepted messages, each with one attempt, created 200 days ago (past the 90-day
    window) into the daemon's SQLite file, in one transaction while the daemon is idle."""
    import sqlite3
    created_us = int((time.time() - 200 * 86400) * 1e6)
    connection = sqlite3.connect(database, timeout=60, isolation_level=None)
    try:
        connection.execute("BEGIN IMMEDIATE")
        connection.executemany(
            "INSERT INTO messages (id, app, kind, to_number, country, route, sender, logged_text, encoding, segments, status,"
            " provider, provider_message_id, created_at_us, updated_at_us)"
            " VALUES (?, 'bench', 'transactional', '+14155550123', 'US', 'everyone', '+14155550100', 'Your parcel arrives today',"
            " 'gsm7', 1, 'accepted', 'fake', 'SMbench', ?, ?)",
            ((f"msg_aged_{index:08d}", created_us + index, created_us + index) for index in range(rows)))
        connection.executemany(
            "INSERT INTO attempts (message_id, attempt_number, provider, outcome, latency_us, started_at_us)"
            " VALUES (?, 1, 'fake', 'accepted', 1000, ?)",
            ((f"msg_aged_{index:08d}", created_us + index) for index in range(rows)))
        connection.execute("COMMIT")
    finally:
        connection.close()


def admin_purge(outcome):
    """`POST /admin/purge` on the daemon; puts the answer and the seconds it took into `outcome`."""
    request = urllib.request.Request(f"http://127.0.0.1:{DAEMON_PORT}/admin/purge", method="POST",
                                     headers={"Authorization": f"Bearer {ADMIN_TOKEN}"})
    started = time.time()
    with urllib.request.urlopen(request, timeout=3600) as answer:
        outcome["answer"] = json.loads(answer.read())
    outcome["seconds"] = round(time.time() - started, 2)


def run_purge_phase(results, workdir, pids, bench_binary, sends_url, duration, rate):
    """Send latency at a fixed rate without and during a purge of PURGE_ROWS aged-out messages.
    The figure is the ratio of the two: the issue asks for within 2x."""
    import threading
    send_body = json.dumps({"to": "+14155550123", "app": "bench", "text": "Your parcel arrives today"})
    log(f"purge: seeding {PURGE_ROWS} messages past the retention window")
    seed_aged_messages(os.path.join(workdir, "switchboard.sqlite"), PURGE_ROWS)
    log(f"purge: {rate} sends/s, evenly paced, for {duration}s, no purge")
    results["purge_without"] = measured(pids, lambda: run_paced(bench_binary, [sends_url], send_body, rate, duration))
    outcome = {}
    purger = threading.Thread(target=admin_purge, args=(outcome,))
    log(f"purge: {rate} sends/s, evenly paced, for {duration}s while POST /admin/purge deletes them")
    purger.start()
    results["purge_during"] = measured(pids, lambda: run_paced(bench_binary, [sends_url], send_body, rate, duration))
    purger.join()
    deleted = next((kind["rows"] for kind in outcome.get("answer", {}).get("kinds", []) if kind["kind"] == "messages"), None)
    results["purge_during"]["rate"] = results["purge_without"]["rate"] = rate
    results["purge_during"]["purged_rows"] = deleted
    results["purge_during"]["purge_seconds"] = outcome.get("seconds")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=15, help="seconds per load phase (default 15)")
    parser.add_argument("--connections", type=int, default=64, help="wrk connections for sends and Kannel (default 64)")
    parser.add_argument("--phases", default=",".join(PHASES), help=f"comma-separated, from: {', '.join(PHASES)} (default all)")
    parser.add_argument("--switchboard", help="measure this switchboard binary instead of building one (e.g. another checkout's, for before/after)")
    parser.add_argument("--bench", help="use this switchboard-bench binary instead of building one")
    parser.add_argument("--scratch-path", default=".build",
                        help="SwiftPM's build folder for switchboard-bench, relative to the repository (default .build); "
                             "the daemon builds in scripts/build-release's")
    parser.add_argument("--login-workers", type=int, default=64, help="concurrent OTP login workers (default 64)")
    parser.add_argument("--slow-delay", type=int, default=200, help="the slow provider's answer delay in ms (default 200)")
    parser.add_argument("--slow-connections", type=int, default=1024, help="wrk connections in the slow-provider phase (default 1024)")
    parser.add_argument("--profile", action="store_true",
                        help="sample the daemon with perf in each Switchboard phase; reports under Benchmarks/results/")
    parser.add_argument("--profile-top", type=int, default=60, help="functions listed per profile (default 60)")
    parser.add_argument("--counters", action="store_true",
                        help="count the daemon's pool jobs, system calls, context switches and mallocs per request in each of its phases "
                             "but the purge's "
                             "(perf stat and uprobes; slows it, so its CPU time is not comparable)")
    parser.add_argument("--provider", choices=["twilio", "default"], default="twilio",
                        help="send to nginx through the twilio definition (default), or to the built-in inbox")
    parser.add_argument("--port-offset", type=int, default=0,
                        help="added to every port the harness uses, so that two runs on one machine do not meet (default 0)")
    parser.add_argument("--postgres-over", choices=["tcp", "socket"], default="tcp",
                        help="how the daemons reach the harness's PostgreSQL: TCP on 127.0.0.1 (default), or its Unix-domain socket")
    parser.add_argument("--purge-rate", type=int, default=1000, help="sends per second in the purge phase (default 1000)")
    parser.add_argument("--pool", default="auto", type=per_daemon_setting,
                        help="each daemon's PostgreSQL connections, `storage.postgres.pool`: a number; `auto` (default), "
                             f"{DAEMON_POOL} (the daemon's own default) for a daemon alone and {DAEMON_POOL} shared out among daemons "
                             "that share the machine and the database (postgres-2); `unset`, the daemon's own default")
    parser.add_argument("--threads", default="auto", type=per_daemon_setting,
                        help="`server.threads` of each daemon: a number; `auto` (default), not set for a daemon alone and the "
                             "machine's cores shared out among daemons that share it (postgres-2); `unset`, never set (builds without it)")
    parser.add_argument("--durability", choices=["power_loss", "process_crash"],
                        help="`storage.sqlite.durability` of the SQLite daemon (default: not set, so the daemon's own, power_loss)")
    parser.add_argument("--daemon-cpus", type=positive_share,
                        help="cap each daemon's CPU time at this share of one core (e.g. 0.3), in a cgroup of its own; "
                             "PostgreSQL and the load generators uncapped (default: no cap)")
    parser.add_argument("--keep", action="store_true",
                        help="keep the run's directory (logs, the daemon's database) after a run that succeeded; one that failed keeps it")
    parser.add_argument("--storage", default="sqlite",
                        help=f"comma-separated, Switchboard's phases once for each, from: {', '.join(STORAGES)} (default sqlite)")
    arguments = parser.parse_args()
    global PROVIDER_PORT, DAEMON_PORT, CODES_PORT, SLOW_PORT, KANNEL_PORTS, BALANCED_PORTS, SPREAD_PORTS
    offset = arguments.port_offset
    PROVIDER_PORT, DAEMON_PORT, CODES_PORT, SLOW_PORT = (port + offset for port in (PROVIDER_PORT, DAEMON_PORT, CODES_PORT, SLOW_PORT))
    KANNEL_PORTS = {name: port + offset for name, port in KANNEL_PORTS.items()}
    BALANCED_PORTS = {storage: [port + offset for port in ports] for storage, ports in BALANCED_PORTS.items()}
    SPREAD_PORTS = {storage: [port + offset for port in ports] for storage, ports in SPREAD_PORTS.items()}
    storages = arguments.storage.split(",")
    if set(storages) - set(STORAGES):
        parser.error(f"unknown storages: {', '.join(sorted(set(storages) - set(STORAGES)))}; known: {', '.join(STORAGES)}")
    phases = set(arguments.phases.split(","))
    unknown = phases - set(PHASES)
    if unknown:
        parser.error(f"unknown phases: {', '.join(sorted(unknown))}; known: {', '.join(PHASES)}")

    allow_open_files()
    ensure_tools(phases)
    binary, bench_binary = binaries(arguments.switchboard, arguments.bench, arguments.scratch_path)
    with working_directory("switchboard-bench-", arguments.keep) as workdir:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        profile = Profile(stamp, arguments.profile_top, binary) if arguments.profile else None
        counters = Counters(binary) if arguments.counters else None
        caps = CpuCaps(arguments.daemon_cpus) if arguments.daemon_cpus else None
        started = []
        cleanups = [caps.close] if caps else []
        results = {}
        duration = arguments.duration
        connections = arguments.connections
        sends_script = os.path.join(BENCHMARKS, "wrk", "switchboard.lua")
        kannel_script = os.path.join(BENCHMARKS, "wrk", "kannel.lua")
        sends_url = f"http://127.0.0.1:{DAEMON_PORT}/v1/messages"
        sendsms_url = f"http://127.0.0.1:{KANNEL_PORTS['SENDSMS_PORT']}/cgi-bin/sendsms"
        rss = None
        try:
            nginx = start_nginx(workdir)
            started.append(nginx)
            started.append(start_fake_provider(bench_binary, workdir, CODES_PORT, 0))
            if phases & {"slow", "kannel-slow", "async-slow"}:
                started.append(start_fake_provider(bench_binary, workdir, SLOW_PORT, arguments.slow_delay))
            time.sleep(0.5)

            if "ceiling" in phases:
                provider_body = "To=%2B14155550123&From=%2B14155550100&Body=Your+parcel+arrives+today"
                script = os.path.join(workdir, "post.lua")
                with open(script, "w") as file:
                    file.write(f'wrk.method = "POST"\nwrk.body = {json.dumps(provider_body)}\n'
                               'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n'
                               'wrk.headers["Authorization"] = "Basic QUNiZW5jaDpiZW5jaC10b2tlbg=="\n')
                log(f"ceiling: wrk at the fake provider for {duration}s")
                results["ceiling"] = run_wrk(f"http://127.0.0.1:{PROVIDER_PORT}{TWILIO_PATH}", script, duration, connections)

            if "kannel" in phases:
                boxes = start_kannel(workdir, f"http://127.0.0.1:{PROVIDER_PORT}/send", "kannel")
                try:
                    log(f"kannel: wrk at sendsms for {duration}s, then the drain (nginx's log)")
                    count = lambda: line_count(os.path.join(workdir, "kannel-access.log"))
                    results["kannel"] = measured([box.pid for box in boxes], lambda: delivered(count, lambda: run_wrk(
                        sendsms_url, kannel_script, duration, connections, ("bench", "bench"))), count_key="delivered", provider=nginx.pid)
                finally:
                    stop(boxes)

            if "kannel-slow" in phases:
                boxes = start_kannel(workdir, f"http://127.0.0.1:{SLOW_PORT}/send", "kannel-slow")
                try:
                    count = lambda: fake_count(SLOW_PORT)
                    # Warmed as Switchboard's `slow` is: its connections to the provider open first.
                    log(f"kannel-slow start: wrk at sendsms for {SLOW_START_S}s against the {arguments.slow_delay} ms provider, then the drain")
                    delivered(count, lambda: run_wrk(sendsms_url, kannel_script, SLOW_START_S, connections, ("bench", "bench")))
                    log(f"kannel-slow: wrk at sendsms for {duration}s against the {arguments.slow_delay} ms provider, then the drain")
                    results["kannel_slow"] = measured([box.pid for box in boxes], lambda: delivered(count, lambda: run_wrk(
                        sendsms_url, kannel_script, duration, connections, ("bench", "bench"))), count_key="delivered")
                finally:
                    stop(boxes)

            postgres_url = None
            asynchronous = "async-slow" in phases
            if "purge" in phases and storages != ["sqlite"]:
                log("purge: measured on SQLite only; skipped for the other storages")
            for storage in storages if phases & SWITCHBOARD_PHASES else []:
                suffix = "" if storage == "sqlite" else f"@{storage}"
                serving = []
                try:
                    if storage == "sqlite":
                        config = write_config(workdir, arguments.provider, asynchronous=asynchronous, purge="purge" in phases,
                                              durability=arguments.durability, threads=per_daemon(arguments.threads, 1, os.cpu_count() or 1, None))
                        serving.append(start_daemon(binary, config, workdir))
                        if caps:
                            caps.cap(serving[-1].pid, "sqlite")
                    else:
                        if postgres_url is None:
                            log("starting PostgreSQL (fsync on)")
                            postgres_url, stop_postgres = start_postgres(workdir)
                            cleanups.append(stop_postgres)
                        database = create_database(postgres_url, "bench_" + storage.replace("-", "_"))
                        daemons_url = through_socket(database, workdir) if arguments.postgres_over == "socket" else database
                        ports = BALANCED_PORTS.get(storage) or SPREAD_PORTS.get(storage) or [DAEMON_PORT]
                        threads = per_daemon(arguments.threads, len(ports), os.cpu_count() or 1, None)
                        pool = per_daemon(arguments.pool, len(ports), DAEMON_POOL, DAEMON_POOL)
                        for index, port in enumerate(ports):
                            config = write_config(
                                workdir, arguments.provider, daemons_url, port, f"config-{storage}-{index}.yaml", asynchronous, pool=pool,
                                threads=threads
                            )
                            serving.append(start_daemon(binary, config, workdir, port, f"daemon-{storage}-{index}"))
                            if caps:
                                caps.cap(serving[-1].pid, f"{storage}-{index}")
                        if storage in BALANCED_PORTS:
                            serving.append(start_balancer(workdir, ports))
                    pids = [process.pid for process in serving[:STORAGES[storage]]]
                    postgres = PostgresServer(postgres_postmaster(workdir), database) if storage != "sqlite" else None
                    run_switchboard_phases(
                        phases, results, suffix, pids, postgres, arguments, bench_binary, sends_url, sends_script, connections, duration,
                        profile, counters, SPREAD_PORTS.get(storage), nginx.pid
                    )
                    if "purge" in phases and storage == "sqlite":
                        run_purge_phase(results, workdir, pids, bench_binary, sends_url, duration, arguments.purge_rate)
                    phase_peaks = [result.get("peak_rss_mb") for result in daemon_results(results)]
                    rss = max(filter(None, [rss] + phase_peaks + [peak_rss_mb(pid) for pid in pids]), default=None)
                    if storage != "sqlite":
                        results["statements" + suffix] = top_statements(database)
                finally:
                    stop(serving)
            load = open("/proc/loadavg").read().split()[:3]
        finally:
            stop(started)
            for cleanup in cleanups:
                cleanup()
            if counters:
                counters.close()

    summary = {
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "provider": arguments.provider,
        "switchboard": binary,
        "duration_s": duration,
        "connections": connections,
        "slow_connections": arguments.slow_connections,
        "slow_delay_ms": arguments.slow_delay,
        "storages": storages,
        "sqlite_durability": arguments.durability or "power_loss",
        "threads": arguments.threads,
        "pool": arguments.pool,
        "daemon_cpus": arguments.daemon_cpus,
        "phases": results,
        "peak_rss_mb": rss,
        "load_average": load,
    }
    os.makedirs(RESULTS, exist_ok=True)
    path = os.path.join(RESULTS, stamp + ".json")
    with open(path, "w") as file:
        json.dump(summary, file, indent=2)
    print_table(results, arguments, rss, load)
    print(f"results: {os.path.relpath(path, ROOT)}")
    for report in profile.reports if profile else []:
        print(f"profile: {os.path.relpath(report, ROOT)}")


def print_table(results, arguments, rss, load):
    ceiling = results.get("ceiling", {}).get("ok_per_s")

    def ratio(value, reference):
        return f"{value / reference:.2f}x" if reference else "-"

    def row(name, result, peer=None):
        # Switchboard answers after the provider accepted: its 2xx answers are deliveries.
        rate = result.get("ok_per_s", result["requests_per_s"])
        share = f"{rate / ceiling:.1%}" if ceiling else "-"
        versus = ratio(rate, peer["requests_per_s"]) if peer else "-"
        p50 = f"{result['p50_ms']:.1f}" if result.get("p50_ms") is not None else "-"
        p99 = f"{result['p99_ms']:.1f}" if result.get("p99_ms") is not None else "-"
        cpu = result.get("cpu_us_per_request")
        if result.get("postgres_cpu_us_per_request") is not None:
            cpu = f"{cpu}+{result['postgres_cpu_us_per_request']}"
        print(f"{name:<44} {rate:>9.0f} {share:>9} {versus:>9} {p50:>8} {p99:>8} {cpu if cpu is not None else '-':>8} {megabytes(result):>7}")

    def megabytes(result):
        return f"{result['peak_rss_mb']:.0f}" if result.get("peak_rss_mb") else "-"

    if arguments.daemon_cpus:
        print(f"each daemon capped at {arguments.daemon_cpus} of a core (--daemon-cpus); PostgreSQL and the load generators uncapped")
    print(f"{'phase':<44} {'/s':>9} {'/ceiling':>9} {'/Kannel':>9} {'p50 ms':>8} {'p99 ms':>8} {'CPU us':>8} {'RSS MB':>7}")
    if "ceiling" in results:
        row("ceiling (nginx direct)", results["ceiling"])
    if "sends" in results:
        row("sends, full load", results["sends"], results.get("kannel"))
    if "kannel" in results:
        row("Kannel, end to end", results["kannel"])
    if "half" in results:
        row(f"sends, half load ({results['half']['rate']}/s)", results["half"])
    if "fixed" in results:
        row("sends at 5000/s", results["fixed"])
    if "logins" in results:
        row(f"OTP logins ({arguments.login_workers} workers)", results["logins"])
    if "slow_start" in results:
        row(f"slow provider: first {SLOW_START_S} s from cold (-c{arguments.slow_connections})", results["slow_start"])
    if "slow" in results:
        row(f"slow provider: sends (-c{arguments.slow_connections})", results["slow"], results.get("kannel_slow"))
    if "kannel_slow" in results:
        row("slow provider: Kannel, end to end", results["kannel_slow"])
    if "async_slow" in results:
        r = results["async_slow"]
        peer = results.get("kannel_slow")
        versus = ratio(r["accepted_per_s"], peer["requests_per_s"]) if peer else "-"
        p50 = f"{r['p50_ms']:.1f}" if r.get("p50_ms") is not None else "-"
        p99 = f"{r['p99_ms']:.1f}" if r.get("p99_ms") is not None else "-"
        print(f"{'slow provider: async accepts (202)':<44} {r['accepted_per_s']:>9.0f} {'-':>9} {versus:>9} {p50:>8} {p99:>8} {'-':>8}")
        print(f"{'slow provider: async drain':<44} {r['requests_per_s']:>9.0f} {'-':>9} "
              f"{ratio(r['requests_per_s'], peer['requests_per_s']) if peer else '-':>9} {'-':>8} {'-':>8} {r['cpu_us_per_request'] or '-':>8} {megabytes(r):>7}")
    if "purge_without" in results and "purge_during" in results:
        without, during = results["purge_without"], results["purge_during"]
        row(f"sends at {without['rate']}/s, no purge", without)
        row(f"sends at {during['rate']}/s, purging {PURGE_ROWS} rows", during)
    storages = {"postgres": "PostgreSQL, 1 daemon", "postgres-1b": "PostgreSQL, 1 daemon + nginx", "postgres-2": "PostgreSQL, 2 daemons + nginx",
                "postgres-2d": "PostgreSQL, 2 daemons, no balancer"}
    for storage, label in storages.items():
        suffix = f"@{storage}"
        if f"sends{suffix}" in results:
            row(f"sends, full load [{label}]", results[f"sends{suffix}"], results.get("kannel"))
        if f"half{suffix}" in results:
            row(f"sends, half load [{label}]", results[f"half{suffix}"])
        if f"fixed{suffix}" in results:
            row(f"sends at 5000/s [{label}]", results[f"fixed{suffix}"])
        if f"logins{suffix}" in results:
            row(f"OTP logins [{label}]", results[f"logins{suffix}"])
        if f"slow_start{suffix}" in results:
            row(f"slow provider: first {SLOW_START_S} s from cold [{label}]", results[f"slow_start{suffix}"])
        if f"slow{suffix}" in results:
            row(f"slow provider: sends [{label}]", results[f"slow{suffix}"])

    def rate(name):
        return results[name].get("ok_per_s", results[name]["requests_per_s"]) if name in results else None

    for phase in ("sends", "logins"):
        base = rate(phase)
        for storage, label in storages.items():
            value = rate(f"{phase}@{storage}")
            if value is not None and base:
                print(f"{phase}: {label} / SQLite = {value / base:.2f}")
    for phase in ("logins", "sends"):
        for two, one, how in (("postgres-2", "postgres", " on PostgreSQL"), ("postgres-2", "postgres-1b", ", both behind nginx"),
                              ("postgres-2d", "postgres", ", no balancer")):
            if rate(f"{phase}@{one}") and rate(f"{phase}@{two}") is not None:
                print(f"{phase}: 2 daemons / 1 daemon{how} = {rate(f'{phase}@{two}') / rate(f'{phase}@{one}'):.2f}")
    for name in ("kannel", "kannel_slow", "async_slow"):
        if name in results:
            r = results[name]
            print(f"{name}: accepted {r['accepted_per_s']:.0f}/s, delivered {r['delivered']} in {r['delivered_elapsed_s']} s (drain included)")
    for name in [key for key in results if key.split("@")[0] in ("sends", "slow_start", "slow", "async_slow")]:
        r = results.get(name)
        if r and (r.get("non_2xx") or r.get("timeouts")):
            print(f"warning: {name} had {r['non_2xx']} non-2xx answers and {r['timeouts']} timeouts ({r['socket_errors']})")
    for name in [key for key in results if key.split("@")[0] in ("half", "fixed")]:
        r = results[name]
        if set(r["statuses"]) != {201}:
            print(f"warning: {name} answers: {r['statuses']} ({r['failures']})")
        if r["late_starts"]:
            print(f"{name}: {r['late_starts']} of {r['asked']} requests went out more than 1 ms after they were due "
                  "(the generator was short of CPU; their latency counts from when they were due)")
    if "slow" in results:
        print(f"slow: the provider received {results['slow']['provider_received']} messages; 2xx answers {results['slow']['ok_per_s']:.0f}/s")
    for name in [key for key in results if key.split("@")[0] == "logins"]:
        if results[name].get("errors"):
            print(f"warning: {name} had {results[name]['errors']} errors: {results[name]['error_kinds']}")
    for name in [key for key in results if key.startswith("statements@")]:
        print(f"PostgreSQL's busiest statements ({name.split('@')[1]}): calls, total ms, mean ms, plans, planning ms, statement")
        for statement in results[name][:5]:
            print(f"  {statement['calls']:>8} {statement['total_ms']:>9} {statement['mean_ms']:>7} {statement['plans']:>7} "
                  f"{statement['plan_ms']:>8}  {statement['query'][:80]}")
    counted = [(name, result["per_request"]) for name, result in results.items() if isinstance(result, dict) and result.get("per_request")]
    if counted:
        print("per request (--counters; the daemon's CPU time above includes the counting's cost):")
        print(f"  {'phase':<24} {'pool jobs':>10} {'syscalls':>10} {'ctx sw':>10} {'mallocs':>10}")
        for name, per in counted:
            print(f"  {name:<24} {per['jobs']:>10.2f} {per['syscalls']:>10.2f} {per['context_switches']:>10.2f} {per['mallocs']:>10.1f}")
    split = [(name, result["cpu_us_per_request_by_thread"]) for name, result in results.items()
             if isinstance(result, dict) and result.get("cpu_us_per_request_by_thread") and not name.startswith("kannel")]
    if split:
        print("the daemon's CPU us per request by thread:")
        for name, per in split:
            print(f"  {name:<24} " + ", ".join(f"{group} {per[group]}" for _, group in THREAD_GROUPS + ((None, "other"),) if group in per))
    beside = [(name, result) for name, result in results.items() if isinstance(result, dict)
              and result.get("load_cpu_us_per_request") is not None and result.get("provider_cpu_us_per_request") is not None]
    if beside:
        print("wrk's and nginx's CPU us per request, on the same cores: "
              + ", ".join(f"{name} {r['load_cpu_us_per_request']} + {r['provider_cpu_us_per_request']}" for name, r in beside))
    sends, kannel = results.get("sends", {}), results.get("kannel", {})
    if sends.get("provider_cpu_us_per_request") is not None and kannel.get("requests_per_s"):
        # What a ratio to Kannel asks of the daemon: the machine's CPU per send at that rate, less
        # what the load and the provider take of it.
        spent = sends["load_cpu_us_per_request"] + sends["provider_cpu_us_per_request"]
        cores = os.cpu_count() or 1
        for times in (2.5, 4):
            rate = times * kannel["requests_per_s"]
            print(f"sends at {times}x Kannel ({rate:.0f}/s): wrk and nginx at these costs would leave the daemon "
                  f"{cores * 1e6 / rate - spent:.0f} us of CPU per send, all {cores} cores busy")
    generated = [(name, result["load_cpu_us_per_request"]) for name, result in results.items()
                 if name.startswith("logins") and result.get("load_cpu_us_per_request") is not None]
    if generated:
        print("the login generator's CPU us per login (its users' set-up included): " + ", ".join(f"{name} {us}" for name, us in generated))
    logged = [(name, result["postgres_wal_kib_per_request"]) for name, result in results.items()
              if isinstance(result, dict) and result.get("postgres_wal_kib_per_request") is not None]
    if logged:
        print("PostgreSQL's write-ahead log per request, KiB: " + ", ".join(f"{name} {kib:.2f}" for name, kib in logged))
    if "purge_without" in results and "purge_during" in results:
        without, during = results["purge_without"], results["purge_during"]
        for key in ("p50_ms", "p99_ms"):
            if without.get(key) and during.get(key) is not None:
                print(f"purge: send {key[:3]} during / without = {during[key] / without[key]:.2f} (the issue asks for at most 2)")
        print(f"purge: {during['purged_rows']} messages deleted in {during['purge_seconds']} s; "
              f"answers during it: {during.get('statuses')}")
    print(f"load average at the end: {' '.join(load)}")
    print(f"peak RSS of the daemon over its phases (RSS MB: each phase's own peak): {rss:.0f} MB" if rss else "peak RSS of the daemon: not measured")
    mapped = [result["file_rss_mb"] for result in daemon_results(results) if result.get("file_rss_mb")]
    if mapped:
        print(f"of the daemon's memory, mapped from files (its binary's code, mostly) at the end of its phases: "
              f"{min(mapped):.0f}-{max(mapped):.0f} MB")


if __name__ == "__main__":
    main()

import Foundation

// Benchmarks of Switchboard's hot paths, one per subcommand:
//
//     swift run -c release switchboard-bench            # every benchmark
//     swift run -c release switchboard-bench route      # one of them
//
// To add one, write a `Benchmark` value beside this file and list it here.
let benchmarks: [Benchmark] = [
    RouteBenchmark.benchmark,
    FailoverBenchmark.benchmark,
    StoreBenchmark.benchmark,
    JSONBenchmark.benchmark,
]

// Load tools that Benchmarks/run.py starts, with `--name value` options: a fake provider that keeps
// codes, the OTP login driver, and sends at a fixed rate.
let tools: [String: @Sendable ([String: String]) async throws -> Void] = [
    "fake-provider": FakeProvider.run,
    "logins": LoginLoad.run,
    "paced": PacedLoad.run,
]
if let tool = CommandLine.arguments.dropFirst().first, let run = tools[tool] {
    var options: [String: String] = [:]
    var rest = CommandLine.arguments.dropFirst(2).makeIterator()
    while let name = rest.next() {
        guard name.hasPrefix("--"), let value = rest.next() else {
            print("usage: switchboard-bench \(tool) [--option value ...]")
            exit(64)
        }
        options[String(name.dropFirst(2))] = value
    }
    do {
        try await run(options)
        exit(0)
    } catch {
        print("\(tool) failed: \(error)")
        exit(1)
    }
}

let requested = CommandLine.arguments.dropFirst()
if requested.contains(where: { ["-h", "--help", "help"].contains($0) }) {
    print(Benchmark.usage(benchmarks))
    exit(0)
}
let unknown = requested.filter { name in !benchmarks.contains { $0.name == name } }
guard unknown.isEmpty else {
    print("unknown benchmark: \(unknown.joined(separator: ", "))\n\n\(Benchmark.usage(benchmarks))")
    exit(64)  // EX_USAGE
}
for benchmark in benchmarks where requested.isEmpty || requested.contains(benchmark.name) {
    print("== \(benchmark.name): \(benchmark.summary)")
    await benchmark.run()
}

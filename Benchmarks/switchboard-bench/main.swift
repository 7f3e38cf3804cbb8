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
]

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
